using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class PoolingTests
{
    [Fact]
    public void AvgPoolWithPaddingDividesBorderCellsByTheFullWindow()
    {
        using var scope = new TensorScope();
        var ones = Tensor.Ones([1, 1, 4, 4], DType.Float64);
        var included = Functional.AvgPool2d(ones, 3, 2, 1, countIncludePad: true);
        // Windows start at -1 and 1, covering 2 and 3 real rows/columns: a corner sees 4 real cells of 9.
        Assert.Equal(new long[] { 1, 1, 2, 2 }, included.Shape);
        Expect.Close([4 / 9.0, 6 / 9.0, 6 / 9.0, 9 / 9.0], included.ToArray<double>(), 1e-12);

        var excluded = Functional.AvgPool2d(ones, 3, 2, 1, countIncludePad: false);
        Expect.Close([1, 1, 1, 1], excluded.ToArray<double>(), 1e-12);
    }

    [Theory]
    [InlineData(7, 3, 2, 1, false, true)]
    [InlineData(7, 3, 2, 1, false, false)]
    [InlineData(6, 3, 2, 1, true, true)]
    [InlineData(6, 3, 2, 1, true, false)]
    [InlineData(5, 2, 2, 0, true, true)]
    [InlineData(8, 2, 2, 0, false, true)]
    [InlineData(5, 3, 3, 1, true, false)]
    public void AvgPoolMatchesTheDefinition(int size, int kernel, int stride, int padding, bool ceilMode, bool countIncludePad)
    {
        using var scope = new TensorScope();
        long[] shape = [2, 3, size, size];
        var x = TestData.Uniform(10, TestData.Count(shape));
        var expected = Reference.AvgPool2d(x, shape, kernel, stride, padding, ceilMode, countIncludePad, out var expectedShape);
        var actual = Functional.AvgPool2d(Tensor.FromArray(x, shape), kernel, stride, padding, ceilMode, countIncludePad);
        Assert.Equal(expectedShape, actual.Shape);
        Expect.Close(expected, actual.ToArray<double>(), 1e-12);
    }

    [Theory]
    [InlineData(7, 3, 2, 1, false)]
    [InlineData(6, 3, 2, 1, true)]
    [InlineData(5, 2, 2, 0, true)]
    [InlineData(5, 2, 2, 0, false)]
    [InlineData(8, 3, 2, 0, true)]
    public void MaxPoolMatchesTheDefinition(int size, int kernel, int stride, int padding, bool ceilMode)
    {
        using var scope = new TensorScope();
        long[] shape = [2, 2, size, size];
        var x = TestData.Uniform(11, TestData.Count(shape));
        var expected = Reference.MaxPool2d(x, shape, kernel, stride, padding, ceilMode, out var expectedShape);
        var actual = Functional.MaxPool2d(Tensor.FromArray(x, shape), kernel, stride, padding, ceilMode);
        Assert.Equal(expectedShape, actual.Shape);
        Expect.Close(expected, actual.ToArray<double>(), 0);
    }

    [Fact]
    public void CeilModeAddsAPartialWindow()
    {
        using var scope = new TensorScope();
        var x = Tensor.Arange(0, 25, dtype: DType.Float64).View(1, 1, 5, 5);
        var floor = Functional.MaxPool2d(x, 2, 2);
        var ceil = Functional.MaxPool2d(x, 2, 2, ceilMode: true);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, floor.Shape);
        Assert.Equal(new double[] { 6, 8, 16, 18 }, floor.ToArray<double>());
        Assert.Equal(new long[] { 1, 1, 3, 3 }, ceil.Shape);
        Assert.Equal(new double[] { 6, 8, 9, 16, 18, 19, 21, 23, 24 }, ceil.ToArray<double>());
        // The partial window of a ceil-mode average divides by its real cells only.
        var average = Functional.AvgPool2d(x, 2, 2, ceilMode: true);
        Assert.Equal(new double[] { 3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24 }, average.ToArray<double>());
    }

    [Theory]
    [InlineData(6, 6, 1, 1)]
    [InlineData(6, 6, 3, 2)]
    [InlineData(7, 5, 3, 2)]
    [InlineData(5, 7, 4, 3)]
    [InlineData(3, 3, 5, 5)]
    public void AdaptiveAvgPoolMatchesTheDefinition(int height, int width, int outHeight, int outWidth)
    {
        using var scope = new TensorScope();
        long[] shape = [2, 3, height, width];
        var x = TestData.Uniform(12, TestData.Count(shape));
        var actual = Functional.AdaptiveAvgPool2d(Tensor.FromArray(x, shape), outHeight, outWidth);
        Assert.Equal(new long[] { 2, 3, outHeight, outWidth }, actual.Shape);
        Expect.Close(Reference.AdaptiveAvgPool2d(x, shape, outHeight, outWidth), actual.ToArray<double>(), 1e-12);
    }

    [Fact]
    public void PoolingModulesForwardTheirSettings()
    {
        using var scope = new TensorScope();
        long[] shape = [1, 2, 6, 6];
        var x = TestData.Uniform(13, TestData.Count(shape));
        var input = Tensor.FromArray(x, shape);
        using var avg = new Nn.AvgPool2d(3, 2, 1, ceilMode: true, countIncludePad: false);
        using var max = new Nn.MaxPool2d(3, 2, 1);
        using var adaptive = new Nn.AdaptiveAvgPool2d(1);
        Expect.Close(Reference.AvgPool2d(x, shape, 3, 2, 1, true, false, out _), avg.Forward(input).ToArray<double>(), 1e-12);
        Expect.Close(Reference.MaxPool2d(x, shape, 3, 2, 1, false, out _), max.Forward(input).ToArray<double>(), 0);
        Expect.Close(Reference.AdaptiveAvgPool2d(x, shape, 1, 1), adaptive.Forward(input).ToArray<double>(), 1e-12);
    }
}
