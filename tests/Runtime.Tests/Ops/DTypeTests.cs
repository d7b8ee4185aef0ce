namespace Dsl.Runtime.Tests.Ops;

public class DTypeTests
{
    [Fact]
    public void ArraysRoundTripInEveryElementType()
    {
        using var scope = new TensorScope();
        RoundTrip(new[] { 1.5f, -2.25f, float.MaxValue, float.Epsilon, 0f, -0f }, DType.Float32);
        RoundTrip(new[] { Math.PI, -1e300, double.Epsilon, 0.1 }, DType.Float64);
        RoundTrip(new[] { long.MaxValue, long.MinValue, 0L, -7L }, DType.Int64);
        RoundTrip(new[] { true, false, false, true }, DType.Bool);
        RoundTrip(new[] { int.MinValue, 3 }, DType.Int32);
        RoundTrip(new byte[] { 0, 255, 7, 128 }, DType.UInt8);
    }

    private static void RoundTrip<T>(T[] values, DType dtype) where T : unmanaged
    {
        var tensor = Tensor.FromArray(values, 2, values.Length / 2);
        Assert.Equal(dtype, tensor.DType);
        Assert.Equal(new long[] { 2, values.Length / 2 }, tensor.Shape);
        Assert.Equal(values, tensor.ToArray<T>());
        var bytes = tensor.ToBytes();
        Assert.Equal(values.Length * dtype.ElementSize(), bytes.Length);
        Assert.Equal(values, Tensor.FromBytes(bytes, dtype, [values.Length]).ToArray<T>());
    }

    [Fact]
    public void ConversionsFollowTorchRules()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(new double[] { 1.7, -1.7, 0, 2 }, 4);
        Assert.Equal(new long[] { 1, -1, 0, 2 }, x.To(DType.Int64).ToArray<long>());
        Assert.Equal(new[] { true, true, false, true }, x.To(DType.Bool).ToArray<bool>());
        Assert.Equal(new[] { 1.7f, -1.7f, 0f, 2f }, x.To(DType.Float32).ToArray<float>());
        Assert.Equal(new[] { false, false, false, true }, x.Gt(1.8).ToArray<bool>());
        Assert.Equal(DType.Float32, Tensor.Zeros([2]).DType);
        Assert.Equal(7.5, Tensor.Scalar(7.5, DType.Float64).Item());
        Assert.Empty(Tensor.Scalar(1).Shape);
    }

    [Fact]
    public void CopyingIntoTheWrongElementTypeIsRefused()
    {
        using var scope = new TensorScope();
        var x = Tensor.Zeros([3]);
        var error = Assert.Throws<InvalidOperationException>(() => x.ToArray<double>());
        Assert.Contains("Float32", error.Message);
    }
}
