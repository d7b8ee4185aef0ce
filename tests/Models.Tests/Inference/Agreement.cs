using TorchSharp;
using static TorchSharp.torch;

namespace Dsl.Models.Tests.Inference;

/// <summary>How far an inference form's logits are from the model's.</summary>
internal static class Agreement
{
    /// <summary>The largest absolute difference, relative to the largest absolute reference logit.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var scale = expected.abs().max().ToDouble();
        return (actual.to(float64) - expected.to(float64)).abs().max().ToDouble() / scale;
    }

    /// <summary>The fraction of rows whose top-1 class is the same.</summary>
    public static double Top1(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        return actual.argmax(1).eq(expected.argmax(1)).to(float64).mean().ToDouble();
    }
}
