using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class InterpolationTests
{
    [Theory]
    [InlineData(4, 4, 8, 8)]    // exact doubling
    [InlineData(3, 5, 7, 9)]    // up, not a divisor
    [InlineData(8, 6, 4, 3)]    // exact halving
    [InlineData(7, 5, 3, 2)]    // down, not a divisor
    [InlineData(5, 5, 5, 5)]    // identity
    public void NearestUsesFloorOfScaledIndex(int height, int width, int outHeight, int outWidth)
    {
        using var scope = new TensorScope();
        long[] shape = [2, 2, height, width];
        var x = TestData.Uniform(20, TestData.Count(shape));
        var actual = Functional.Interpolate(Tensor.FromArray(x, shape), outHeight, outWidth, InterpolationMode.Nearest);
        Assert.Equal(new long[] { 2, 2, outHeight, outWidth }, actual.Shape);
        Expect.Close(Reference.Nearest(x, shape, outHeight, outWidth), actual.ToArray<double>(), 0);
    }

    [Theory]
    [InlineData(4, 4, 8, 8)]
    [InlineData(3, 5, 7, 9)]
    [InlineData(8, 6, 4, 3)]
    [InlineData(7, 5, 3, 2)]
    [InlineData(2, 2, 5, 3)]
    public void BilinearUsesHalfPixelCentres(int height, int width, int outHeight, int outWidth)
    {
        using var scope = new TensorScope();
        long[] shape = [1, 3, height, width];
        var x = TestData.Uniform(21, TestData.Count(shape));
        var actual = Functional.Interpolate(Tensor.FromArray(x, shape), outHeight, outWidth, InterpolationMode.Bilinear);
        Expect.Close(Reference.Bilinear(x, shape, outHeight, outWidth), actual.ToArray<double>(), 1e-12);
    }

    [Fact]
    public void HandWorkedOneDimensionalCases()
    {
        using var scope = new TensorScope();
        var row = Tensor.FromArray(new double[] { 0, 10, 20 }, 1, 1, 1, 3);
        // Nearest 3 -> 5: floor(j * 0.6) = 0, 0, 1, 1, 2.
        Assert.Equal(new double[] { 0, 0, 10, 10, 20 }, Functional.Interpolate(row, 1, 5).ToArray<double>());
        // Bilinear 3 -> 2: source = (j + 0.5) * 1.5 - 0.5 = 0.25, 1.75.
        Expect.Close([2.5, 17.5], Functional.Interpolate(row, 1, 2, InterpolationMode.Bilinear).ToArray<double>(), 1e-12);
        // Bilinear 3 -> 6: source = (j + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25, 1.75, 2.25 (edge).
        Expect.Close([0, 2.5, 7.5, 12.5, 17.5, 20], Functional.Interpolate(row, 1, 6, InterpolationMode.Bilinear).ToArray<double>(), 1e-12);
    }
}
