namespace Dsl.Runtime.Tests.Ops;

public class ReductionTests
{
    private static readonly double[] Values = [3, -1, 4, 1, -5, 9, 2, 6];   // [2, 4]

    [Fact]
    public void SumAndMeanOverAllOrSomeDimensions()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(Values, 2, 4);
        Assert.Equal(19, x.Sum().Item());
        Assert.Equal(19 / 8.0, x.Mean().Item(), 14);
        Assert.Equal(new double[] { -2, 8, 6, 7 }, x.Sum(0).ToArray<double>());
        Assert.Equal(new double[] { 7 / 4.0, 12 / 4.0 }, x.Mean(1).ToArray<double>());
        var kept = x.Sum([1], keepDim: true);
        Assert.Equal(new long[] { 2, 1 }, kept.Shape);
        Assert.Equal(new long[] { 1, 4 }, x.Mean([0], keepDim: true).Shape);
        Assert.Equal(19, x.Sum(0, 1).Item());
    }

    [Fact]
    public void NormIsTheEuclideanOrPNorm()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(Values, 2, 4);
        Assert.Equal(Math.Sqrt(Values.Sum(v => v * v)), x.Norm().Item(), 12);
        Assert.Equal(Values.Sum(Math.Abs), x.Norm(1).Item(), 12);
        Assert.Equal(9, x.Max().Item());
    }

    [Fact]
    public void ArgMaxAndTopKFindTheLargest()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(Values, 2, 4);
        Assert.Equal(new long[] { 2, 1 }, x.ArgMax(1).ToArray<long>());
        Assert.Equal(new long[] { 2, 1 }, x.ArgMax(1, keepDim: true).Shape);
        Assert.Equal(new long[] { 0, 1, 0, 1 }, x.ArgMax(0).ToArray<long>());
        var (values, indices) = x.TopK(2);
        Assert.Equal(new double[] { 4, 3, 9, 6 }, values.ToArray<double>());
        Assert.Equal(new long[] { 2, 0, 1, 3 }, indices.ToArray<long>());
        var (smallest, smallestAt) = x.TopK(1, dim: 1, largest: false);
        Assert.Equal(new double[] { -1, -5 }, smallest.ToArray<double>());
        Assert.Equal(new long[] { 1, 0 }, smallestAt.ToArray<long>());
    }
}
