using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class ShapeTests
{
    private static Tensor Counting(params long[] shape) => Tensor.Arange(0, TestData.Count(shape), dtype: DType.Float64).View(shape);

    [Fact]
    public void ViewReshapeAndFlattenKeepRowMajorOrder()
    {
        using var scope = new TensorScope();
        var x = Counting(2, 3, 4);
        Assert.Equal(new long[] { 12, 4, 1 }, x.Strides);
        var view = x.View(6, -1);
        Assert.Equal(new long[] { 6, 4 }, view.Shape);
        Assert.Equal(x.ToArray<double>(), view.ToArray<double>());
        Assert.Equal(new long[] { 2, 12 }, x.Flatten(1).Shape);
        Assert.Equal(new long[] { 24 }, x.Flatten().Shape);
        Assert.Equal(new long[] { 6, 4 }, x.Flatten(0, 1).Shape);
        Assert.Equal(new long[] { 4, 6 }, x.Reshape(4, 6).Shape);
        Assert.Equal(x.ToArray<double>(), x.Reshape(4, 6).ToArray<double>());

        // A view shares storage with its base.
        using (new NoGradScope()) view.Fill(7);
        Assert.All(x.ToArray<double>(), v => Assert.Equal(7, v));
    }

    [Fact]
    public void PermuteChangesStridesNotData()
    {
        using var scope = new TensorScope();
        var x = Counting(2, 3, 4);
        var permuted = x.Permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, permuted.Shape);
        Assert.Equal(new long[] { 1, 12, 4 }, permuted.Strides);
        Assert.False(permuted.IsContiguous);

        var contiguous = permuted.Contiguous();
        Assert.True(contiguous.IsContiguous);
        Assert.Equal(new long[] { 6, 3, 1 }, contiguous.Strides);
        var values = contiguous.ToArray<double>();
        for (var k = 0; k < 4; k++)
        for (var i = 0; i < 2; i++)
        for (var j = 0; j < 3; j++)
            Assert.Equal(i * 12 + j * 4 + k, values[(k * 2 + i) * 3 + j]);
        // Reading a non-contiguous tensor copies it out in logical order too.
        Assert.Equal(values, permuted.ToArray<double>());
        // Reshape copies where view cannot.
        Assert.Equal(values, permuted.Reshape(24).ToArray<double>());
        Assert.Equal(new long[] { 3, 2 }, Counting(2, 3).Transpose(0, 1).Shape);
    }

    [Fact]
    public void ChannelsLastKeepsValuesAndLogicalShape()
    {
        using var scope = new TensorScope();
        var x = Counting(2, 3, 4, 5);
        Assert.True(x.IsContiguous);
        Assert.False(x.IsChannelsLast);
        var nhwc = x.ToChannelsLast();
        Assert.True(nhwc.IsChannelsLast);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, nhwc.Shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, nhwc.Strides);
        Assert.Equal(x.ToArray<double>(), nhwc.ToArray<double>());
        Assert.True(nhwc.Contiguous().IsContiguous);
        Assert.Equal(x.ToArray<double>(), nhwc.Contiguous().ToArray<double>());
        // Element-wise ops keep the layout.
        Assert.True(nhwc.Relu().IsChannelsLast);
    }

    [Fact]
    public void CatJoinsAlongAnyDimension()
    {
        using var scope = new TensorScope();
        var a = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2);
        var b = Tensor.FromArray(new double[] { 5, 6 }, 1, 2);
        var c = Tensor.FromArray(new double[] { 7, 8, 9, 10, 11, 12 }, 2, 3);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, Tensor.Cat([a, b], 0).ToArray<double>());
        var wide = Tensor.Cat([a, c], 1);
        Assert.Equal(new long[] { 2, 5 }, wide.Shape);
        Assert.Equal(new double[] { 1, 2, 7, 8, 9, 3, 4, 10, 11, 12 }, wide.ToArray<double>());
        Assert.Equal(new long[] { 2, 2, 2 }, Tensor.Stack([a, a], 0).Shape);
    }

    [Fact]
    public void NarrowUnsqueezeSqueezeAndIndexSelect()
    {
        using var scope = new TensorScope();
        var x = Counting(3, 4);
        var narrow = x.Narrow(1, 1, 2);
        Assert.Equal(new double[] { 1, 2, 5, 6, 9, 10 }, narrow.ToArray<double>());
        Assert.Equal(1, narrow.StorageOffset);
        Assert.Equal(new long[] { 3, 1, 4 }, x.Unsqueeze(1).Shape);
        Assert.Equal(new long[] { 3, 4 }, x.Unsqueeze(1).Squeeze(1).Shape);
        var picked = x.IndexSelect(0, Tensor.FromArray(new long[] { 2, 0 }, 2));
        Assert.Equal(new double[] { 8, 9, 10, 11, 0, 1, 2, 3 }, picked.ToArray<double>());
    }
}
