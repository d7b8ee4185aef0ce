namespace Dsl.Runtime.Models;

/// <summary>
/// A module's state-dict entries in PyTorch's order: each module's own parameters, then its own persistent
/// buffers, then its children in registration order. TorchSharp's <c>state_dict()</c> holds the same keys and
/// tensors but lists every parameter before every buffer; checkpoints are written in PyTorch's order so the
/// files read like the original script's.
/// </summary>
public static class StateDictOrder
{
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Of(nn.Module module)
    {
        var entries = new List<KeyValuePair<string, Tensor>>();
        Collect(module, "", entries);
        return entries;
    }

    private static void Collect(nn.Module module, string prefix, List<KeyValuePair<string, Tensor>> entries)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false)) entries.Add(new(prefix + name, parameter));
        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false)) entries.Add(new(prefix + name, buffer));
        foreach (var (name, child) in module.named_children()) Collect(child, prefix + name + ".", entries);
    }
}
