using TorchSharp.Modules;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// Makes every <see cref="BatchNorm2d"/> of a model normalize training batches with statistics over all ranks
/// (<see cref="SyncBatchNormFunction"/>), the counterpart of torch's convert_sync_batchnorm for models whose
/// layers cannot be swapped. TorchSharp's BatchNorm2d is sealed, so each layer gets a pair of forward hooks: the
/// pre-hook keeps the running statistics, the layer's own forward runs (and counts the batch), and the post-hook
/// puts the statistics back and replaces the layer's output with the synchronized one, which also updates them.
/// Hooks run only when the model calls its layers through <c>call</c>, as TorchSharp models do. In evaluation the
/// layers are untouched. Disposing removes the hooks.
/// </summary>
public sealed class BatchNormSynchronizer : IDisposable
{
    private readonly ProcessGroup group;
    private readonly List<Action> removers = [];
    private readonly Dictionary<BatchNorm2d, (Tensor Mean, Tensor Var)> kept = [];

    /// <summary>How many layers are synchronized.</summary>
    public int LayerCount { get; }

    public BatchNormSynchronizer(torch.nn.Module model, ProcessGroup group)
    {
        this.group = group;
        foreach (var layer in model.modules().OfType<BatchNorm2d>())
        {
            var pre = layer.register_forward_pre_hook((module, input) => KeepStatistics((BatchNorm2d)module, input)!);
            // TorchSharp keeps the input or output when a hook returns null.
            var post = layer.register_forward_hook((module, input, output) => Synchronize((BatchNorm2d)module, input, output)!);
            removers.Add(pre.remove);
            removers.Add(post.remove);
            LayerCount++;
        }
    }

    private Tensor? KeepStatistics(BatchNorm2d layer, Tensor input)
    {
        if (layer.training && layer.running_mean is { } mean && layer.running_var is { } variance)
            kept[layer] = (mean.detach().clone().DetachFromDisposeScope(), variance.detach().clone().DetachFromDisposeScope());
        return null;
    }

    private Tensor? Synchronize(BatchNorm2d layer, Tensor input, Tensor localOutput)
    {
        if (!layer.training) return null;
        if (kept.Remove(layer, out var statistics))
        {
            using var noGrad = torch.no_grad();
            layer.running_mean!.copy_(statistics.Mean);
            layer.running_var!.copy_(statistics.Var);
            statistics.Mean.Dispose();
            statistics.Var.Dispose();
        }
        localOutput.Dispose();
        var settings = new SyncBatchNormFunction.Settings(group, layer.eps,
            layer.track_running_stats ? layer.running_mean : null, layer.track_running_stats ? layer.running_var : null,
            ExponentialAverageFactor(layer));
        return SyncBatchNormFunction.apply(input, layer.weight, layer.bias, settings);
    }

    // As BatchNorm's forward: the momentum, or a cumulative average over the batches counted so far.
    private static double ExponentialAverageFactor(BatchNorm2d layer) =>
        layer.momentum ?? (layer.num_batches_tracked is { } batches ? 1.0 / batches.item<long>() : 0.0);

    public void Dispose()
    {
        foreach (var remove in removers) remove();
        removers.Clear();
        foreach (var (mean, variance) in kept.Values)
        {
            mean.Dispose();
            variance.Dispose();
        }
        kept.Clear();
    }
}
