using Dsl.Runtime.Checkpoints;

namespace Dsl.Runtime.Training;

/// <summary>
/// An exponential moving average of a model's weights (as timm's ModelEmaV2 and Ultralytics' ModelEMA keep it): a copy
/// of every parameter and persistent buffer, in the model's state-dict order, moved toward the live weights after
/// every optimizer step. Averaged weights often generalize better than the last step's, at no cost to training.
/// The copies belong to no dispose scope: disposing the average frees them.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> entries;

    /// <summary>Starts the average at the model's weights as they are now.</summary>
    /// <param name="decay">The weight of the average against each new step, at least 0 and below 1.</param>
    public WeightAverage(nn.Module model, double decay)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(decay is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay must be at least 0 and below 1");
        Decay = decay;
        // Without gradients a clone is detached from autograd; it keeps the device, the dtype and the strides (a channels-last
        // weight stays channels-last), so Swap copies like for like.
        using var noGrad = no_grad();
        entries = [.. PyTorchStateDict.Of(model).Select(e => new KeyValuePair<string, Tensor>(e.Key, e.Value.clone().DetachFromDisposeScope()))];
    }

    public double Decay { get; }

    /// <summary>How many updates the average has taken.</summary>
    public long Updates { get; private set; }

    /// <summary>The averaged tensors under the model's state-dict keys, in its order (the average keeps owning them).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict => entries;

    /// <summary>
    /// The decay of update <paramref name="t"/> (counted from 0): min(<see cref="Decay"/>, (1 + t) / (10 + t)). Early on the
    /// average follows the live weights closely, so that it does not keep the random initialization for thousands of steps.
    /// </summary>
    public double DecayAt(long t) => Math.Min(Decay, (1.0 + t) / (10.0 + t));

    /// <summary>Moves the average toward the model's weights: avg ← d·avg + (1 − d)·live for floating tensors, with d the decay
    /// of this update; integer buffers (batch norm's num_batches_tracked) are copied.</summary>
    public void Update(nn.Module model)
    {
        var live = Live(model);
        var weight = 1 - DecayAt(Updates);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // lerp_ takes its weight as a tensor: one per dtype and device, not one per parameter (a copy to the device each).
        var weights = new Dictionary<(ScalarType, DeviceType, int), Tensor>();
        for (var i = 0; i < entries.Count; i++)
        {
            var (average, current) = (entries[i].Value, live[i].Value);
            if (!average.is_floating_point())
            {
                average.copy_(current);
                continue;
            }
            var key = (average.dtype, average.device_type, average.device_index);
            if (!weights.TryGetValue(key, out var w)) weights[key] = w = tensor(weight, average.dtype, average.device);
            average.lerp_(current, w);
        }
        Updates++;
    }

    /// <summary>Exchanges the model's weights and the average's; a second call exchanges them back, exactly.</summary>
    public void Swap(nn.Module model)
    {
        var live = Live(model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < entries.Count; i++)
        {
            var (average, current) = (entries[i].Value, live[i].Value);
            var held = current.clone();
            current.copy_(average);
            average.copy_(held);
        }
    }

    /// <summary>Puts the averaged weights into the model until the result is disposed, which puts the live ones back: the
    /// average is evaluated on the model itself, without a second one.</summary>
    public IDisposable Apply(nn.Module model)
    {
        Swap(model);
        return new Swapped(this, model);
    }

    /// <summary>Replaces the average by a saved one (a checkpoint's): every key of <see cref="StateDict"/> with its shape,
    /// and the update count. Throws <see cref="ArgumentException"/> for a missing key or another shape, changing nothing.</summary>
    public void Load(IReadOnlyList<KeyValuePair<string, Tensor>> saved, long updates)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentOutOfRangeException.ThrowIfNegative(updates);
        var byKey = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in saved) byKey[key] = value;
        foreach (var (key, average) in entries)
        {
            if (!byKey.TryGetValue(key, out var value)) throw new ArgumentException($"'{key}' is missing");
            if (!value.shape.SequenceEqual(average.shape))
                throw new ArgumentException($"'{key}' has shape [{string.Join(", ", value.shape)}], the model [{string.Join(", ", average.shape)}]");
        }
        using var noGrad = no_grad();
        foreach (var (key, average) in entries) average.copy_(byKey[key]);
        Updates = updates;
    }

    /// <summary>
    /// Restores the average to a checkpoint's (its tensors and its update count); a file without one, or one with a missing or
    /// mis-shaped key, is a <see cref="CheckpointException"/> naming the file.
    /// </summary>
    public void Restore(TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.EmaStateDict is not { } saved) throw TrainingCheckpoint.NoAverage(checkpoint.FilePath);
        try
        {
            Load(saved, checkpoint.EmaUpdates);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(checkpoint.FilePath, $"'{TrainingCheckpoint.EmaStateDictKey}' does not fit the model: {e.Message}", e);
        }
    }

    /// <summary>The average as a checkpoint saves it (<see cref="TrainingCheckpoint.Save"/>).</summary>
    public (IReadOnlyList<KeyValuePair<string, Tensor>> StateDict, long Updates) Saved => (StateDict, Updates);

    public void Dispose()
    {
        foreach (var (_, tensor) in entries) tensor.Dispose();
        entries.Clear();
    }

    // The model's tensors beside the average's: the same keys and shapes in the same order, or the model is another one.
    private IReadOnlyList<KeyValuePair<string, Tensor>> Live(nn.Module model)
    {
        var live = PyTorchStateDict.Of(model);
        if (live.Count != entries.Count || live.Where((e, i) => e.Key != entries[i].Key || !e.Value.shape.SequenceEqual(entries[i].Value.shape)).Any())
            throw new ArgumentException($"the model's {live.Count} state-dict entries are not the {entries.Count} (keys and shapes) this average was made from", nameof(model));
        return live;
    }

    private sealed class Swapped(WeightAverage average, nn.Module model) : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            average.Swap(model);
        }
    }
}
