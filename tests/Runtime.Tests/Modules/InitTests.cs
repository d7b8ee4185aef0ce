using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Tests.Modules;

public class InitTests
{
    [Fact]
    public void KaimingNormalFanOutHasStdSqrtTwoOverFanOut()
    {
        using var scope = new TensorScope();
        Torch.ManualSeed(11);
        var weight = Tensor.Empty([256, 64, 3, 3]);
        Init.KaimingNormalFanOut(weight);
        var values = weight.ToArray<float>();
        var mean = values.Average(v => (double)v);
        var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        var expected = Math.Sqrt(2.0 / (256 * 9));
        // 147,456 samples: the sample std is within 0.2% of the truth; 2% would also flag fan_in (64·9).
        Assert.InRange(std, expected * 0.98, expected * 1.02);
        Assert.InRange(mean, -expected * 0.02, expected * 0.02);
    }

    [Fact]
    public void LinearDefaultIsUniformWithinOneOverSqrtFanIn()
    {
        Torch.ManualSeed(12);
        using var linear = new Linear(400, 300);
        AssertUniform(linear.Weight.ToArray<float>(), 1 / Math.Sqrt(400));
        AssertUniform(linear.Bias!.ToArray<float>(), 1 / Math.Sqrt(400));
    }

    [Fact]
    public void ConvDefaultUsesFanInOfChannelsTimesKernel()
    {
        Torch.ManualSeed(13);
        using var conv = new Conv2d(16, 64, 3, groups: 2);
        // fan_in = (16 / 2) · 3 · 3 = 72.
        AssertUniform(conv.Weight.ToArray<float>(), 1 / Math.Sqrt(72));
    }

    [Fact]
    public void ConstantFillsWithoutRecordingGradients()
    {
        using var scope = new TensorScope();
        var weight = Tensor.Empty([3, 3]);
        weight.RequiresGrad = true;
        Init.Constant(weight, 0.25);
        Assert.All(weight.ToArray<float>(), v => Assert.Equal(0.25f, v));
        Assert.Null(weight.Grad);
    }

    private static void AssertUniform(float[] values, double bound)
    {
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        // Uniform on ±bound: the extremes come close to the bound and the variance is bound²/3.
        Assert.True(values.Max() > bound * 0.95 && values.Min() < -bound * 0.95, "values do not span the bound");
        if (values.Length < 1000) return;   // too few samples for a tight variance estimate
        var variance = values.Average(v => (double)v * v);
        Assert.InRange(variance, bound * bound / 3 * 0.9, bound * bound / 3 * 1.1);
    }
}
