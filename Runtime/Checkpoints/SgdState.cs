using TorchSharp.Modules;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// What torch.optim.SGD's state_dict() holds: the parameter groups and one momentum buffer per parameter,
/// numbered across groups in parameter order (null where no step has made one yet). The layout is PyTorch's
/// (<c>{'state': {i: {'momentum_buffer': T}}, 'param_groups': [{'lr', ..., 'params': [i, ...]}]}</c>), so a
/// checkpoint of the original script restores into TorchSharp's <see cref="SGD"/> and back.
/// </summary>
public sealed record SgdState(IReadOnlyList<SgdParamGroup> ParamGroups, IReadOnlyList<Tensor?> MomentumBuffers)
{
    /// <summary>
    /// The optimizer's state as it is now. The buffers are the optimizer's live tensors, so the snapshot is
    /// for writing at once, not for keeping.
    /// </summary>
    internal static SgdState Capture(SGD optimizer)
    {
        var state = optimizer.state_dict();
        var groups = state.Options.Select((options, i) => ToGroup((SGD.Options)options, state.StateIndexRef[i].Count)).ToList();
        var buffers = state.State.Select(s => ((SGD.State)s).momentum_buffer).ToList();
        return new SgdState(groups, buffers);
    }

    /// <summary>
    /// Restores the hyperparameters and momentum buffers into an optimizer over parameters of the same
    /// groups and shapes, as PyTorch's load_state_dict does. The optimizer gets its own copies, in its
    /// parameters' dtype and device; this state keeps its tensors.
    /// </summary>
    public void RestoreInto(SGD optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = optimizer.state_dict();
        if (state.Options.Count != ParamGroups.Count)
            throw new ArgumentException($"the saved optimizer has {ParamGroups.Count} parameter groups, this one {state.Options.Count}");
        for (var i = 0; i < ParamGroups.Count; i++)
            if (state.StateIndexRef[i].Count != ParamGroups[i].ParameterCount)
                throw new ArgumentException($"parameter group {i} held {ParamGroups[i].ParameterCount} parameters when saved, here {state.StateIndexRef[i].Count}");
        var parameters = optimizer.parameters().ToList();
        if (parameters.Count != MomentumBuffers.Count)
            throw new ArgumentException($"{MomentumBuffers.Count} momentum buffers saved for {parameters.Count} parameters");
        for (var i = 0; i < parameters.Count; i++)
            if (MomentumBuffers[i] is { } buffer && !buffer.shape.SequenceEqual(parameters[i].shape))
                throw new ArgumentException($"momentum buffer {i} has shape [{string.Join(", ", buffer.shape)}], its parameter [{string.Join(", ", parameters[i].shape)}]");

        for (var i = 0; i < ParamGroups.Count; i++)
        {
            var (group, options) = (ParamGroups[i], (SGD.Options)state.Options[i]);
            options.LearningRate = group.LearningRate;
            options.momentum = group.Momentum;
            options.dampening = group.Dampening;
            options.weight_decay = group.WeightDecay;
            options.nesterov = group.Nesterov;
        }
        using var noGrad = torch.no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            var perParameter = (SGD.State)state.State[i];
            perParameter.momentum_buffer?.Dispose();
            perParameter.momentum_buffer = MomentumBuffers[i] is { } buffer
                ? torch.empty_like(parameters[i]).copy_(buffer).DetachFromDisposeScope()
                : null;
        }
    }

    internal PickleDict ToPickle()
    {
        var state = new PickleDict();
        for (var i = 0; i < MomentumBuffers.Count; i++)
            if (MomentumBuffers[i] is { } buffer)
                state[(long)i] = new PickleDict { ["momentum_buffer"] = buffer };
        var groups = new List<object?>();
        var first = 0L;
        foreach (var group in ParamGroups)
        {
            groups.Add(new PickleDict
            {
                ["lr"] = group.LearningRate,
                ["momentum"] = group.Momentum,
                ["dampening"] = group.Dampening,
                ["weight_decay"] = group.WeightDecay,
                ["nesterov"] = group.Nesterov,
                ["maximize"] = false,
                ["foreach"] = null,
                ["differentiable"] = false,
                ["params"] = Enumerable.Range(0, group.ParameterCount).Select(i => (object?)(first + i)).ToList(),
            });
            first += group.ParameterCount;
        }
        return new PickleDict { ["state"] = state, ["param_groups"] = groups };
    }

    /// <summary>Reads an optimizer state dict; its buffers are tensors of the checkpoint they came from.</summary>
    internal static SgdState FromPickle(object? value, string path)
    {
        if (value is not PickleDict optimizer || !optimizer.TryGetValue("param_groups", out var groupsValue)
            || groupsValue is not List<object?> { Count: > 0 } groupList)
            throw new CheckpointException(path, "'optimizer' is not an SGD state dict with param_groups");
        var state = optimizer.TryGetValue("state", out var stateValue) ? stateValue as PickleDict : null;

        var groups = new List<SgdParamGroup>();
        var buffers = new List<Tensor?>();
        foreach (var item in groupList)
        {
            if (item is not PickleDict group || !group.TryGetValue("params", out var ids) || ids is not List<object?> list)
                throw new CheckpointException(path, "an optimizer param group has no 'params' list");
            groups.Add(new SgdParamGroup(Number(group, "lr", path), Number(group, "momentum", path), Number(group, "dampening", path),
                Number(group, "weight_decay", path), group.TryGetValue("nesterov", out var nesterov) && nesterov is true, list.Count));
            buffers.AddRange(list.Select(id => state is not null && state.TryGetValue(id, out var entry) && entry is PickleDict perParameter
                && perParameter.TryGetValue("momentum_buffer", out var buffer) ? buffer as Tensor : null));
        }
        return new SgdState(groups, buffers);
    }

    private static SgdParamGroup ToGroup(SGD.Options options, int parameterCount) =>
        new(options.LearningRate ?? 0, options.momentum ?? 0, options.dampening ?? 0, options.weight_decay ?? 0, options.nesterov ?? false, parameterCount);

    private static double Number(PickleDict group, string key, string path) =>
        group.TryGetValue(key, out var value) ? value switch
        {
            double d => d,
            long l => l,
            bool b => b ? 1 : 0,
            _ => throw new CheckpointException(path, $"optimizer '{key}' is {PickleFormat.Describe(value)}, not a number"),
        } : throw new CheckpointException(path, $"optimizer param group has no '{key}'");
}
