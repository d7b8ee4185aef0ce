namespace Dsl.Runtime.Tests.Ops;

public class DropoutTests
{
    [Fact]
    public void TrainingZeroesAboutPAndScalesTheRestByOneOverOneMinusP()
    {
        using var scope = new TensorScope();
        Torch.ManualSeed(5);
        const int count = 20000;
        var output = Functional.Dropout(Tensor.Ones([count], DType.Float64), 0.25, training: true).ToArray<double>();
        Assert.All(output, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75) < 1e-12, $"unexpected value {v}"));
        var dropped = output.Count(v => v == 0) / (double)count;
        // Binomial standard deviation is about 0.003; allow five of them.
        Assert.InRange(dropped, 0.235, 0.265);
    }

    [Fact]
    public void EvalIsTheIdentity()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(new double[] { 1, -2, 3 }, 3);
        Assert.Equal(new double[] { 1, -2, 3 }, Functional.Dropout(x, 0.5, training: false).ToArray<double>());
    }
}
