using Dsl.Runtime.Optim;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// What torch.optim.SGD's state_dict() holds for one parameter group: the hyperparameters and one
/// momentum buffer per parameter, in parameter order (null where no step has made one yet).
/// </summary>
public sealed record SgdState(
    double LearningRate,
    double Momentum,
    double Dampening,
    double WeightDecay,
    bool Nesterov,
    IReadOnlyList<Tensor?> MomentumBuffers)
{
    /// <summary>A snapshot view of an optimizer (the buffers are the optimizer's live tensors).</summary>
    public static SgdState From(Sgd optimizer) =>
        new(optimizer.LearningRate, optimizer.Momentum, optimizer.Dampening, optimizer.WeightDecay, optimizer.Nesterov,
            optimizer.MomentumBuffers.ToList());

    /// <summary>Restores the learning rate and momentum buffers into an optimizer over the same parameters.</summary>
    public void ApplyTo(Sgd optimizer)
    {
        optimizer.LearningRate = LearningRate;
        optimizer.LoadMomentumBuffers(MomentumBuffers);
    }

    internal PickleDict ToPickle()
    {
        var state = new PickleDict();
        for (var i = 0; i < MomentumBuffers.Count; i++)
            if (MomentumBuffers[i] is { } buffer)
                state[(long)i] = new PickleDict { ["momentum_buffer"] = buffer };
        var group = new PickleDict
        {
            ["lr"] = LearningRate,
            ["momentum"] = Momentum,
            ["dampening"] = Dampening,
            ["weight_decay"] = WeightDecay,
            ["nesterov"] = Nesterov,
            ["maximize"] = false,
            ["foreach"] = null,
            ["differentiable"] = false,
            ["params"] = Enumerable.Range(0, MomentumBuffers.Count).Select(i => (object?)(long)i).ToList(),
        };
        return new PickleDict { ["state"] = state, ["param_groups"] = new List<object?> { group } };
    }

    /// <summary>Reads an optimizer state dict; parameters of several groups are numbered across groups, as PyTorch does.</summary>
    internal static SgdState FromPickle(object? value, string path)
    {
        if (value is not PickleDict optimizer || optimizer.TryGetValue("param_groups", out var groupsValue) is false
            || groupsValue is not List<object?> { Count: > 0 } groups || groups[0] is not PickleDict first)
            throw new CheckpointException(path, "'optimizer' is not an SGD state dict with param_groups");
        var state = optimizer.TryGetValue("state", out var stateValue) ? stateValue as PickleDict : null;

        var parameterIds = new List<object?>();
        foreach (var group in groups)
        {
            if (group is not PickleDict g || !g.TryGetValue("params", out var ids) || ids is not List<object?> list)
                throw new CheckpointException(path, "an optimizer param group has no 'params' list");
            parameterIds.AddRange(list);
        }
        var buffers = parameterIds.Select(id =>
            state is not null && state.TryGetValue(id, out var entry) && entry is PickleDict perParameter
                && perParameter.TryGetValue("momentum_buffer", out var buffer) ? buffer as Tensor : null).ToList();

        return new SgdState(
            Number(first, "lr", path), Number(first, "momentum", path), Number(first, "dampening", path),
            Number(first, "weight_decay", path), first.TryGetValue("nesterov", out var nesterov) && nesterov is true,
            buffers);
    }

    private static double Number(PickleDict group, string key, string path) =>
        group.TryGetValue(key, out var value) ? value switch
        {
            double d => d,
            long l => l,
            bool b => b ? 1 : 0,
            _ => throw new CheckpointException(path, $"optimizer '{key}' is {PickleFormat.Describe(value)}, not a number"),
        } : throw new CheckpointException(path, $"optimizer param group has no '{key}'");
}
