using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Gradients;

public class LinearAndLossGradientTests
{
    [Fact]
    public void LinearGradients() =>
        GradCheck.Verify(t => Functional.Linear(t[0], t[1], t[2]),
            GradInput.Random(140, 3, 4), GradInput.Random(141, 5, 4), GradInput.Random(142, 5));

    [Fact]
    public void MatMulGradients() =>
        GradCheck.Verify(t => t[0].MatMul(t[1]), GradInput.Random(143, 2, 3, 4), GradInput.Random(144, 4, 2));

    [Fact]
    public void LogSoftmaxGradients() =>
        GradCheck.Verify(t => Functional.LogSoftmax(t[0], 1), GradInput.Random(145, 3, 5));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void CrossEntropyGradients(double smoothing)
    {
        using var scope = new TensorScope();
        var target = Tensor.FromArray(new long[] { 4, 0, 2 }, 3);
        GradCheck.Verify(t => Functional.CrossEntropy(t[0], target, Reduction.Mean, smoothing), GradInput.Random(146, 3, 5));
    }

    [Fact]
    public void ReductionGradients()
    {
        GradCheck.Verify(t => t[0].Sum(), GradInput.Random(147, 2, 3));
        GradCheck.Verify(t => t[0].Sum([1], keepDim: true), GradInput.Random(148, 2, 3));
        GradCheck.Verify(t => t[0].Mean(), GradInput.Random(149, 2, 3));
        GradCheck.Verify(t => t[0].Mean(0, 2), GradInput.Random(150, 2, 3, 2));
        GradCheck.Verify(t => t[0].Norm(), GradInput.Random(151, 2, 3));
    }
}
