namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A module's state dict in PyTorch's order: each module's own parameters, then its persistent buffers, then
/// its children in registration order. TorchSharp's <c>state_dict()</c> has the same keys but lists every
/// parameter before any buffer, so files written from it would list keys differently from PyTorch's.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>The module's live parameters and buffers (not copies: the module keeps owning them).</summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entries = new List<KeyValuePair<string, Tensor>>();
        Collect(model, "", entries);
        return entries;
    }

    private static void Collect(nn.Module module, string prefix, List<KeyValuePair<string, Tensor>> entries)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false)) entries.Add(new(prefix + name, parameter));
        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false)) entries.Add(new(prefix + name, buffer));
        foreach (var (name, child) in module.named_children()) Collect(child, $"{prefix}{name}.", entries);
    }
}
