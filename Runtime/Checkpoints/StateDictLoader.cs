namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Copies a state dict into a TorchSharp module by PyTorch's keys (<c>module.state_dict()</c> names them so
/// when children are registered under PyTorch's names). Unlike <c>Module.load_state_dict</c>, shapes are
/// checked and reported, and a strict load that does not match changes nothing.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Copies every entry whose key and shape match into the module's existing parameter or buffer, which keeps
    /// its own dtype and device. Strict loading throws <see cref="StateDictMismatchException"/> (naming
    /// <paramref name="filePath"/> when given) before copying anything unless every key and shape matches;
    /// non-strict loading copies what matches and reports the rest.
    /// </summary>
    public static LoadReport Load(nn.Module model, IEnumerable<KeyValuePair<string, Tensor>> stateDict, bool strict = true, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stateDict);
        var entries = PyTorchStateDict.Of(model);
        var destination = entries.ToDictionary(e => e.Key, e => e.Value);
        var given = new Dictionary<string, Tensor>();
        var unexpected = new List<string>();
        var misShaped = new List<ShapeMismatch>();
        var matched = new List<(Tensor Target, Tensor Source)>();
        foreach (var (key, source) in stateDict)
        {
            if (!given.TryAdd(key, source)) throw new ArgumentException($"the state dict holds '{key}' twice", nameof(stateDict));
            if (!destination.TryGetValue(key, out var target)) unexpected.Add(key);
            else if (!target.shape.SequenceEqual(source.shape)) misShaped.Add(new ShapeMismatch(key, target.shape, source.shape));
            else matched.Add((target, source));
        }
        var missing = entries.Select(e => e.Key).Where(key => !given.ContainsKey(key)).ToList();
        var report = new LoadReport(missing, unexpected, misShaped);
        if (strict && !report.IsExact) throw new StateDictMismatchException(report, filePath);

        using var noGrad = torch.no_grad();
        foreach (var (target, source) in matched) target.copy_(source);
        return report;
    }
}
