using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class LinearAlgebraTests
{
    [Fact]
    public void MatMulMultipliesRowsByColumns()
    {
        using var scope = new TensorScope();
        var a = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.FromArray(new double[] { 7, 8, 9, 10, 11, 12 }, 3, 2);
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        var product = a.MatMul(b);
        Assert.Equal(new long[] { 2, 2 }, product.Shape);
        Assert.Equal(new double[] { 58, 64, 139, 154 }, product.ToArray<double>());
        // Batched: a leading batch dimension broadcasts.
        var batched = Tensor.Stack([a, a.Mul(2)], 0).MatMul(b);
        Assert.Equal(new double[] { 58, 64, 139, 154, 116, 128, 278, 308 }, batched.ToArray<double>());
    }

    [Fact]
    public void LinearIsInputTimesWeightTransposedPlusBias()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var w = Tensor.FromArray(new double[] { 1, 0, -1, 2, 1, 0 }, 2, 3);
        var b = Tensor.FromArray(new double[] { 0.5, -1 }, 2);
        // Row 1: [1-3, 2+2] + b = [-1.5, 3]; row 2: [4-6, 8+5] + b = [-1.5, 12].
        Assert.Equal(new double[] { -1.5, 3, -1.5, 12 }, Functional.Linear(x, w, b).ToArray<double>());
        Assert.Equal(new double[] { -2, 4, -2, 13 }, Functional.Linear(x, w).ToArray<double>());
    }

    [Fact]
    public void LinearModuleAgreesWithFunctional()
    {
        using var scope = new TensorScope();
        using var linear = new Nn.Linear(5, 3);
        Assert.Equal(new long[] { 3, 5 }, linear.Weight.Shape);
        var x = TestData.Tensor64(40, 4, 5).To(DType.Float32);
        var expected = x.MatMul(linear.Weight.Transpose(0, 1)).Add(linear.Bias!);
        Expect.Close(Expect.Values(expected), linear.Forward(x), 1e-6);
        Assert.Equal(18, linear.ParameterCount());
    }
}
