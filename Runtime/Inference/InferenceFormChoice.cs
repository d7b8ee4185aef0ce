using Dsl.Runtime.MixedPrecision;
using Dsl.Runtime.Training;

namespace Dsl.Runtime.Inference;

/// <summary>
/// The inference form a run asks for by <see cref="PrecisionMode"/> and <see cref="MemoryFormatMode"/>: bfloat16 where
/// <see cref="PrecisionChoice"/> says so, and with Auto the layout whose form ran a batch faster (both are built and
/// timed, the slower one disposed).
/// </summary>
public static class InferenceFormChoice
{
    /// <summary>Builds the inference form of <paramref name="model"/> (already on <paramref name="device"/>) and says what it chose.</summary>
    /// <param name="batchShape">The batch (N, C, H, W) Auto times the layouts on.</param>
    public static (nn.Module<Tensor, Tensor> Form, PrecisionChoice Precision, MemoryFormatChoice Layout) Build(nn.Module<Tensor, Tensor> model,
        PrecisionMode precisionMode, MemoryFormatMode formatMode, long[] batchShape, Device device)
    {
        if (model is not IHasInferenceForm generated)
            throw new InvalidOperationException($"{model.GetName()} has no generated inference form; only models built from specs have one");
        var precision = PrecisionChoice.Resolve(precisionMode, device);
        var dtype = precision.BFloat16 ? InferencePrecision.BFloat16 : InferencePrecision.Float32;
        switch (formatMode)
        {
            case MemoryFormatMode.Nhwc: return (generated.ForInference(dtype, MemoryFormat.ChannelsLast), precision, MemoryFormatChoice.Nhwc);
            case MemoryFormatMode.Nchw: return (generated.ForInference(dtype, MemoryFormat.Contiguous), precision, MemoryFormatChoice.Nchw);
        }
        var nchw = generated.ForInference(dtype, MemoryFormat.Contiguous);
        var nhwc = generated.ForInference(dtype, MemoryFormat.ChannelsLast);
        using var images = SyntheticBatch.Images(batchShape, device);
        var nchwTime = Time(nchw, images, device);
        var nhwcTime = Time(nhwc, images, device);
        var channelsLast = nhwcTime < nchwTime;
        (channelsLast ? nchw : nhwc).Dispose();
        var reason = FormattableString.Invariant(
            $"auto: a {precision.Name} inference batch of {batchShape[0]} took {nhwcTime:F1} ms in NHWC, {nchwTime:F1} ms in NCHW");
        return (channelsLast ? nhwc : nchw, precision, new(channelsLast, reason));
    }

    private static double Time(nn.Module<Tensor, Tensor> form, Tensor images, Device device) =>
        StepTimer.MedianMilliseconds(() => form.call(images), MemoryFormatProbe.WarmUpSteps, MemoryFormatProbe.TimedSteps, device);
}
