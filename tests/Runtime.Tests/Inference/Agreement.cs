namespace Dsl.Runtime.Tests.Inference;

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

    /// <summary>
    /// The rows whose two highest expected logits are more than <paramref name="margin"/> apart, and the fraction of
    /// them whose top-1 class is the same. An untrained network's logits are near ties that any rounding can swap;
    /// a rounding error below the margin cannot swap these.
    /// </summary>
    public static (long Rows, double Agreement) DecisiveTop1(Tensor actual, Tensor expected, double margin)
    {
        using var scope = NewDisposeScope();
        var top2 = expected.topk(2, 1).values;
        var decisive = (top2[.., 0] - top2[.., 1]).gt(margin);
        var rows = decisive.sum().ToInt64();
        var same = actual.argmax(1).eq(expected.argmax(1)).logical_and(decisive).sum().ToInt64();
        return (rows, rows == 0 ? 0 : (double)same / rows);
    }

    /// <summary>The fraction of rows whose top-1 class is the same.</summary>
    public static double Top1(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        return actual.argmax(1).eq(expected.argmax(1)).to(float64).mean().ToDouble();
    }
}
