using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class ElementwiseTests
{
    private static readonly double[] Matrix = [1, -2, 3, -4, 5, -6];   // [2, 3]
    private static readonly double[] Row = [10, 20, 40];                // [3]
    private static readonly double[] Column = [2, -1];                  // [2, 1]

    [Fact]
    public void ReluZeroesNegativesAndCanWorkInPlace()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(Matrix, 2, 3);
        Assert.Equal(new double[] { 1, 0, 3, 0, 5, 0 }, x.Relu().ToArray<double>());
        Assert.Equal(Matrix, x.ToArray<double>());
        var same = x.ReluInPlace();
        Assert.Same(x, same);
        Assert.Equal(new double[] { 1, 0, 3, 0, 5, 0 }, x.ToArray<double>());

        using var module = new Nn.ReLU(inPlace: true);
        var y = Tensor.FromArray(new double[] { -1, 2 }, 2);
        Assert.Same(y, module.Forward(y));
        Assert.Equal(new double[] { 0, 2 }, y.ToArray<double>());
    }

    [Fact]
    public void SigmoidIsTheLogisticFunction()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(Matrix, 2, 3);
        Expect.Close(Matrix.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), x.Sigmoid().ToArray<double>(), 1e-14);
        using var module = new Nn.Sigmoid();
        Expect.Close(Matrix.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), module.Forward(x).ToArray<double>(), 1e-14);
    }

    [Fact]
    public void ArithmeticBroadcastsRowsAndColumns()
    {
        using var scope = new TensorScope();
        var m = Tensor.FromArray(Matrix, 2, 3);
        var row = Tensor.FromArray(Row, 3);
        var column = Tensor.FromArray(Column, 2, 1);
        Assert.Equal(Broadcast((a, b) => a + b, RowOperand), (m + row).ToArray<double>());
        Assert.Equal(Broadcast((a, b) => a - b, RowOperand), (m - row).ToArray<double>());
        Assert.Equal(Broadcast((a, b) => a * b, ColumnOperand), (m * column).ToArray<double>());
        Assert.Equal(Broadcast((a, b) => a / b, ColumnOperand), (m / column).ToArray<double>());
        Assert.Equal(new long[] { 2, 3 }, (row * column).Shape);
        Assert.Equal(new double[] { 20, 40, 80, -10, -20, -40 }, (row * column).ToArray<double>());
        Assert.Equal(Matrix.Select(v => v * 3 + 1).ToArray(), (m * 3 + 1).ToArray<double>());
        Assert.Equal(Matrix.Select(v => 2 * v / 4 - 1).ToArray(), ((2 * m) / 4 - 1).ToArray<double>());
    }

    [Fact]
    public void InPlaceFormsBroadcastIntoTheLeftOperand()
    {
        using var scope = new TensorScope();
        var row = Tensor.FromArray(Row, 3);
        var column = Tensor.FromArray(Column, 2, 1);
        var m = Tensor.FromArray(Matrix, 2, 3);
        Assert.Same(m, m.AddInPlace(row));
        Assert.Equal(Broadcast((a, b) => a + b, RowOperand), m.ToArray<double>());
        m = Tensor.FromArray(Matrix, 2, 3);
        m.SubInPlace(row);
        Assert.Equal(Broadcast((a, b) => a - b, RowOperand), m.ToArray<double>());
        m = Tensor.FromArray(Matrix, 2, 3);
        m.MulInPlace(column);
        Assert.Equal(Broadcast((a, b) => a * b, ColumnOperand), m.ToArray<double>());
        m = Tensor.FromArray(Matrix, 2, 3);
        m.DivInPlace(column).AddInPlace(1).MulInPlace(2).DivInPlace(4);
        Assert.Equal(Broadcast((a, b) => (a / b + 1) * 2 / 4, ColumnOperand), m.ToArray<double>());
        m = Tensor.FromArray(Matrix, 2, 3);
        m.AddScaledInPlace(row, -0.5);
        Assert.Equal(Broadcast((a, b) => a - 0.5 * b, RowOperand), m.ToArray<double>());
    }

    [Fact]
    public void InPlaceCannotGrowTheLeftOperand()
    {
        using var scope = new TensorScope();
        var row = Tensor.FromArray(Row, 3);
        var error = Assert.Throws<TorchException>(() => row.AddInPlace(Tensor.FromArray(Matrix, 2, 3)));
        Assert.Contains("doesn't match the broadcast shape", error.Message);
    }

    private static double RowOperand(int i) => Row[i % 3];
    private static double ColumnOperand(int i) => Column[i / 3];

    private static double[] Broadcast(Func<double, double, double> op, Func<int, double> other) =>
        Matrix.Select((v, i) => op(v, other(i))).ToArray();
}
