using Dsl.Runtime.Platform;
namespace Dsl.Runtime.Inference;

/// <summary>
/// The precision and memory format an inference form works in. Weights are converted once when the form is
/// built and the input once at its entry; every later tensor inherits both from the convolutions.
/// </summary>
public readonly record struct InferenceLayout(InferencePrecision Precision, MemoryFormat Format)
{
    public ScalarType DType => Precision == InferencePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// <paramref name="tensor"/> in this precision and, for a 4-d tensor, this memory format. TorchSharp has no
    /// memory-format argument, so channels-last is made as PyTorch makes it: NHWC contiguous, viewed as NCHW.
    /// </summary>
    public Tensor Convert(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cast = tensor.to(DType);
        var laidOut = Format == MemoryFormat.ChannelsLast && cast.dim() == 4
            ? cast.ToChannelsLast()
            : cast.contiguous();
        return laidOut.MoveToOuterDisposeScope();
    }
}
