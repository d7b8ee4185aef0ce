namespace Dsl.Runtime.Nn;

/// <summary>Weight initializers, drawing from libtorch's seeded generator.</summary>
public static class Init
{
    /// <summary>kaiming_normal_(mode='fan_out', nonlinearity='relu'): std = sqrt(2 / fan_out), fan_out = out·k·k.</summary>
    public static void KaimingNormalFanOut(Tensor weight)
    {
        var shape = weight.Shape;
        var fanOut = shape[0] * (shape.Length > 2 ? shape[2..].Aggregate(1L, (a, b) => a * b) : 1);
        using var noGrad = new NoGradScope();
        weight.NormalInPlace(0, Math.Sqrt(2.0 / fanOut));
    }

    /// <summary>
    /// PyTorch's default for Conv2d and Linear: kaiming_uniform(a=√5) for the weight, which is
    /// U(±1/√fan_in), and U(±1/√fan_in) for the bias.
    /// </summary>
    public static void PyTorchDefault(Tensor weight, Tensor? bias)
    {
        var shape = weight.Shape;
        var fanIn = shape[1..].Aggregate(1L, (a, b) => a * b);
        var bound = 1.0 / Math.Sqrt(fanIn);
        using var noGrad = new NoGradScope();
        weight.UniformInPlace(-bound, bound);
        bias?.UniformInPlace(-bound, bound);
    }

    public static void Constant(Tensor tensor, double value)
    {
        using var noGrad = new NoGradScope();
        tensor.Fill(value);
    }
}
