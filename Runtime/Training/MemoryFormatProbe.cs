using Dsl.Runtime.Distributed;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Platform;

namespace Dsl.Runtime.Training;

/// <summary>
/// <see cref="MemoryFormat.Auto"/> as cuDNN's benchmark mode: a few SGD steps on a batch of the run's shape in
/// NCHW and then in NHWC, timed, and the faster layout kept. The probe does not distort training: its steps use
/// their own optimizer and a synthetic batch (so neither the data order nor the global random state moves), and
/// every parameter and buffer (weights, batch-norm statistics and counters) is put back as it was, storage and
/// all, before the layout that won is applied.
/// </summary>
public static class MemoryFormatProbe
{
    /// <summary>Untimed steps per layout, in which oneDNN or cuDNN create their kernels.</summary>
    public const int WarmUpSteps = 1;

    /// <summary>Timed steps per layout; the median counts.</summary>
    public const int TimedSteps = 3;

    /// <summary>Lays <paramref name="model"/> out as <paramref name="mode"/> asks, measuring both layouts first for Auto (see <see cref="Choose"/>).</summary>
    public static Choice<MemoryFormat> Apply(MemoryFormat mode, nn.Module<Tensor, Tensor> model, long[] batchShape, TrainingOptions options,
        Choice<Precision> precision, DistributedEnvironment? ranks = null)
    {
        switch (mode)
        {
            case MemoryFormat.Auto:
                return Choose(model, batchShape, options, precision, ranks);
            case MemoryFormat.Nhwc:
                model.ToChannelsLast();
                return Choice.AsAsked(MemoryFormat.Nhwc);
            default:
                return Choice.AsAsked(MemoryFormat.Nchw);
        }
    }

    /// <summary>Times training steps of <paramref name="model"/> (in training mode, on its device) in both layouts on a batch
    /// of <paramref name="batchShape"/> (N, C, H, W), restores it, lays it out in the faster one and says which.</summary>
    /// <param name="ranks">In a data-parallel job every rank must lay out its gradients alike, so the ranks' timings are summed before deciding.</param>
    public static Choice<MemoryFormat> Choose(nn.Module<Tensor, Tensor> model, long[] batchShape, TrainingOptions options,
        Choice<Precision> precision, DistributedEnvironment? ranks = null)
    {
        double nchw, nhwc;
        var saved = Save(model);
        try
        {
            using var images = SyntheticBatch.Images(batchShape, options.Device);
            using var imagesNhwc = images.ToChannelsLast();
            using var labels = zeros(batchShape[0], ScalarType.Int64, options.Device);
            nchw = Time(model, images, labels, options, precision);
            // NCHW gradients would make every NHWC step accumulate into the other layout (libtorch warns, and it is slower).
            DropGradients(model);
            model.ToChannelsLast();
            nhwc = Time(model, imagesNhwc, labels, options, precision);
        }
        finally
        {
            Restore(model, saved);
        }
        var distributed = ranks is { IsDistributed: true };
        if (distributed)
        {
            var sums = ranks!.SumAcrossRanks(nchw, nhwc);
            (nchw, nhwc) = (sums[0], sums[1]);
        }
        var channelsLast = nhwc < nchw;
        if (channelsLast) model.ToChannelsLast();
        var summed = distributed ? $", summed over {ranks!.WorldSize} ranks" : "";
        return new(channelsLast ? MemoryFormat.Nhwc : MemoryFormat.Nchw, FormattableString.Invariant(
            $"auto: a {precision.Name} training step of batch {batchShape[0]} took {nhwc:F1} ms in NHWC, {nchw:F1} ms in NCHW{summed}"));
    }

    private static double Time(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, TrainingOptions options, Choice<Precision> precision)
    {
        using var sgd = options.CreateOptimizer(model);
        return StepTimer.MedianMilliseconds(() => TrainingStep.Run(model, sgd, images, labels, precision), WarmUpSteps, TimedSteps, options.Device);
    }

    private static List<(Tensor Target, Tensor Copy)> Save(nn.Module model)
    {
        using var noGrad = no_grad();
        return [.. model.named_parameters().Select(p => (Target: (Tensor)p.parameter, Copy: p.parameter.detach().clone().DetachFromDisposeScope()))
            .Concat(model.named_buffers().Select(b => (Target: b.buffer, Copy: b.buffer.detach().clone().DetachFromDisposeScope())))];
    }

    // set_ takes the copy's storage and strides, so values and layout are both as before the probe.
    private static void Restore(nn.Module model, List<(Tensor Target, Tensor Copy)> saved)
    {
        using var noGrad = no_grad();
        foreach (var (target, copy) in saved)
        {
            target.set_(copy);
            copy.Dispose();
        }
        // The probe's gradients go too, so the first real step starts as it would have without it.
        DropGradients(model);
    }

    private static void DropGradients(nn.Module model)
    {
        foreach (var parameter in model.parameters()) parameter.grad = null;
    }
}
