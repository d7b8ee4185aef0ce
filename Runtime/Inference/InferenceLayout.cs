using Dsl.Runtime.Compute;
using Dsl.Runtime.Platform;

namespace Dsl.Runtime.Inference;

/// <summary>
/// The precision and memory format an inference form works in, both resolved (never Auto). Weights are converted once
/// when the form is built and the input once at its entry; every later tensor inherits both from the convolutions.
/// </summary>
public readonly record struct InferenceLayout
{
    public InferenceLayout(Precision precision, MemoryFormat format)
    {
        if (precision == Precision.Auto || format == MemoryFormat.Auto)
            throw new ArgumentException($"an inference form is built in a resolved precision and memory format, not {precision} {format} "
                + "(InferenceFormChoice.Build resolves Auto)");
        Precision = precision;
        Format = format;
    }

    public Precision Precision { get; init; }

    public MemoryFormat Format { get; init; }

    public ScalarType DType => Precision == Precision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// <paramref name="tensor"/> in this precision and, for a 4-d tensor, this memory format. TorchSharp has no
    /// memory-format argument, so channels-last is a copy into NHWC strides (<see cref="ChannelsLast.ToChannelsLast(Tensor)"/>).
    /// </summary>
    public Tensor Convert(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cast = tensor.to(DType);
        var laidOut = Format == MemoryFormat.Nhwc && cast.dim() == 4
            ? cast.ToChannelsLast()
            : cast.contiguous();
        return laidOut.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A map of the form's body as a model's own would be: float32 and NCHW contiguous, whatever the layout computed it in,
    /// so code written against the model's feature maps takes the inference form's unchanged.
    /// </summary>
    public static Tensor ToFloat32Nchw(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.to(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }
}
