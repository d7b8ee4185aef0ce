using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class ConvolutionTests
{
    [Theory]
    [InlineData(1, 0, 1, 1, true)]
    [InlineData(2, 1, 1, 1, true)]
    [InlineData(1, 2, 2, 1, false)]
    [InlineData(2, 1, 1, 2, true)]
    [InlineData(1, 1, 1, 4, false)]   // depthwise
    [InlineData(3, 2, 2, 2, true)]
    public void Conv2dMatchesDirectConvolution(int stride, int padding, int dilation, int groups, bool withBias)
    {
        using var scope = new TensorScope();
        long[] xShape = [2, 4, 7, 6];
        long[] wShape = [8, 4 / groups, 3, 3];
        var x = TestData.Uniform(1, TestData.Count(xShape));
        var w = TestData.Uniform(2, TestData.Count(wShape));
        var b = withBias ? TestData.Uniform(3, 8) : null;

        var expected = Reference.Conv2d(x, xShape, w, wShape, b, stride, padding, dilation, groups, out var expectedShape);
        var actual = Functional.Conv2d(Tensor.FromArray(x, xShape), Tensor.FromArray(w, wShape),
            b is null ? null : Tensor.FromArray(b, 8), stride, padding, dilation, groups);

        Assert.Equal(expectedShape, actual.Shape);
        Expect.Close(expected, actual.ToArray<double>(), 1e-12);
    }

    [Fact]
    public void Conv2dInFloat32AgreesWithTheDoubleReference()
    {
        using var scope = new TensorScope();
        long[] xShape = [1, 3, 9, 9];
        long[] wShape = [5, 3, 3, 3];
        var x = TestData.Uniform(4, TestData.Count(xShape));
        var w = TestData.Uniform(5, TestData.Count(wShape));
        var expected = Reference.Conv2d(x, xShape, w, wShape, null, 2, 1, 1, 1, out _);
        var actual = Functional.Conv2d(Tensor.FromArray(x, xShape).To(DType.Float32), Tensor.FromArray(w, wShape).To(DType.Float32),
            stride: 2, padding: 1);
        Assert.Equal(DType.Float32, actual.DType);
        Expect.Close(expected, actual, 1e-5);
    }

    [Fact]
    public void Conv2dModuleUsesItsOwnSettings()
    {
        using var scope = new TensorScope();
        using var conv = new Nn.Conv2d(4, 6, 3, stride: 2, padding: 1, groups: 2);
        Assert.Equal(new long[] { 6, 2, 3, 3 }, conv.Weight.Shape);
        var xData = TestData.UniformSingle(6, 1 * 4 * 5 * 5);
        var y = conv.Forward(Tensor.FromArray(xData, 1, 4, 5, 5));
        var expected = Reference.Conv2d(xData.Select(v => (double)v).ToArray(), [1, 4, 5, 5],
            Expect.Values(conv.Weight), [6, 2, 3, 3], Expect.Values(conv.Bias!), 2, 1, 1, 2, out var shape);
        Assert.Equal(shape, y.Shape);
        Expect.Close(expected, y, 1e-5);
    }

    [Fact]
    public void ChannelsLastInputGivesTheSameValues()
    {
        using var scope = new TensorScope();
        var x = TestData.Tensor64(7, 2, 3, 6, 6).To(DType.Float32);
        var w = TestData.Tensor64(8, 4, 3, 3, 3).To(DType.Float32);
        var plain = Functional.Conv2d(x, w, padding: 1);
        var channelsLast = x.ToChannelsLast();
        Assert.True(channelsLast.IsChannelsLast);
        Assert.False(channelsLast.IsContiguous);
        Assert.Equal(new long[] { 108, 1, 18, 3 }, channelsLast.Strides);
        Assert.Equal(x.ToArray<float>(), channelsLast.ToArray<float>());
        var fromChannelsLast = Functional.Conv2d(channelsLast, w.ToChannelsLast(), padding: 1);
        Expect.Close(Expect.Values(plain), fromChannelsLast, 1e-5);
    }
}
