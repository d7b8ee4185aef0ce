using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Gradients;

public class ConvolutionGradientTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 1, 1, 2)]
    [InlineData(2, 0, 2, 1)]
    [InlineData(1, 1, 1, 4)]
    public void Conv2dGradientsForInputWeightAndBias(int stride, int padding, int dilation, int groups)
    {
        GradCheck.Verify(t => Functional.Conv2d(t[0], t[1], t[2], stride, padding, dilation, groups),
            GradInput.Random(100, 2, 4, 5, 5),
            GradInput.Random(101, 4, 4 / groups, 3, 3),
            GradInput.Random(102, 4));
    }

    [Fact]
    public void BatchNormTrainingGradients()
    {
        // Batch statistics depend on every element, so the gradient couples the whole channel.
        GradCheck.Verify(t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true),
            GradInput.Random(103, 3, 2, 3, 3),
            GradInput.Random(104, 2),
            GradInput.Random(105, 2));
    }

    [Fact]
    public void BatchNormEvalGradients()
    {
        using var scope = new TensorScope();
        var mean = Tensor.FromArray(new[] { 0.2, -0.1 }, 2);
        var variance = Tensor.FromArray(new[] { 1.5, 0.7 }, 2);
        GradCheck.Verify(t => Functional.BatchNorm(t[0], mean, variance, t[1], t[2], training: false),
            GradInput.Random(106, 2, 2, 2, 2),
            GradInput.Random(107, 2),
            GradInput.Random(108, 2));
    }
}
