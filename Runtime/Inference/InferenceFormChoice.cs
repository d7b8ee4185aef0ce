using Dsl.Runtime.Compute;
using Dsl.Runtime.Training;

namespace Dsl.Runtime.Inference;

/// <summary>
/// The inference form a run asks for by <see cref="Precision"/> and <see cref="MemoryFormat"/>: the precision
/// <see cref="PrecisionPolicy"/> resolves, and with Auto the memory format whose form ran a batch faster (both are built and
/// timed, the slower one disposed).
/// </summary>
public static class InferenceFormChoice
{
    /// <summary>Builds the inference form of <paramref name="model"/> (already on <paramref name="device"/>) and says what it chose.</summary>
    /// <param name="batchShape">The batch (N, C, H, W) Auto times the layouts on.</param>
    public static (nn.Module<Tensor, Tensor> Form, Choice<Precision> Precision, Choice<MemoryFormat> Layout) Build(nn.Module<Tensor, Tensor> model,
        Precision askedPrecision, MemoryFormat askedFormat, long[] batchShape, Device device)
    {
        if (model is not IHasInferenceForm generated)
            throw new InvalidOperationException($"{model.GetName()} has no generated inference form; only models built from specs have one");
        var precision = PrecisionPolicy.Resolve(askedPrecision, device);
        if (askedFormat != MemoryFormat.Auto)
            return (generated.ForInference(precision.Value, askedFormat), precision, Choice.AsAsked(askedFormat));
        var nchw = generated.ForInference(precision.Value, MemoryFormat.Nchw);
        var nhwc = generated.ForInference(precision.Value, MemoryFormat.Nhwc);
        using var images = SyntheticBatch.Images(batchShape, device);
        var nchwTime = Time(nchw, images, device);
        var nhwcTime = Time(nhwc, images, device);
        var channelsLast = nhwcTime < nchwTime;
        (channelsLast ? nchw : nhwc).Dispose();
        var reason = FormattableString.Invariant(
            $"auto: a {precision.Name} inference batch of {batchShape[0]} took {nhwcTime:F1} ms in NHWC, {nchwTime:F1} ms in NCHW");
        return (channelsLast ? nhwc : nchw, precision, new(channelsLast ? MemoryFormat.Nhwc : MemoryFormat.Nchw, reason));
    }

    private static double Time(nn.Module<Tensor, Tensor> form, Tensor images, Device device) =>
        StepTimer.MedianMilliseconds(() => form.call(images), MemoryFormatProbe.WarmUpSteps, MemoryFormatProbe.TimedSteps, device);
}
