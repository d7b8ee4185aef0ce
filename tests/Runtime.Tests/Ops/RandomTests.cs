namespace Dsl.Runtime.Tests.Ops;

public class RandomTests
{
    [Fact]
    public void ManualSeedMakesDrawsReproducible()
    {
        using var scope = new TensorScope();
        Torch.ManualSeed(1234);
        var first = Tensor.Randn([64]).ToArray<float>();
        var firstUniform = Tensor.Rand([16], DType.Float64).ToArray<double>();
        var firstPermutation = Tensor.RandPerm(10).ToArray<long>();
        Torch.ManualSeed(1234);
        Assert.Equal(first, Tensor.Randn([64]).ToArray<float>());
        Assert.Equal(firstUniform, Tensor.Rand([16], DType.Float64).ToArray<double>());
        Assert.Equal(firstPermutation, Tensor.RandPerm(10).ToArray<long>());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), firstPermutation.Order());
        Torch.ManualSeed(1235);
        Assert.NotEqual(first, Tensor.Randn([64]).ToArray<float>());
    }

    [Fact]
    public void RngStateRestoresTheSequence()
    {
        using var scope = new TensorScope();
        Torch.ManualSeed(99);
        _ = Tensor.Rand([5]);
        var state = Torch.GetRngState();
        Assert.NotEmpty(state);
        var next = Tensor.Rand([32]).ToArray<float>();
        var after = Tensor.Rand([32]).ToArray<float>();
        Assert.NotEqual(next, after);
        Torch.SetRngState(state);
        Assert.Equal(next, Tensor.Rand([32]).ToArray<float>());
        Assert.Equal(after, Tensor.Rand([32]).ToArray<float>());
    }

    [Fact]
    public void DistributionsHaveTheirMoments()
    {
        using var scope = new TensorScope();
        Torch.ManualSeed(7);
        var normal = Tensor.Randn([100000], DType.Float64);
        Assert.InRange(normal.Mean().Item(), -0.02, 0.02);
        Assert.InRange(normal.Pow(2).Mean().Item(), 0.98, 1.02);
        var uniform = Tensor.Rand([100000], DType.Float64).ToArray<double>();
        Assert.All(uniform, v => Assert.InRange(v, 0, 1));
        Assert.InRange(uniform.Average(), 0.49, 0.51);
    }
}
