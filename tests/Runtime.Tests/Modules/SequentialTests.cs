using Dsl.Runtime.Nn;
using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Modules;

public class SequentialTests
{
    [Fact]
    public void ForwardComposesTheLayersInOrder()
    {
        using var scope = new TensorScope();
        using var sequence = new Sequential(new Conv2d(2, 3, 3, padding: 1), new BatchNorm2d(3), new ReLU(inPlace: true), new MaxPool2d(2));
        var input = TestData.Tensor64(300, 2, 2, 6, 6).To(DType.Float32);
        var output = sequence.Forward(input);

        var conv = (Conv2d)sequence[0];
        var bn = (BatchNorm2d)sequence[1];
        var expected = Functional.MaxPool2d(Functional.BatchNorm(Functional.Conv2d(input, conv.Weight, conv.Bias, padding: 1),
            null, null, bn.Weight, bn.Bias, training: true).Relu(), 2);
        Assert.False(output.IsDisposed);
        Assert.Equal(new long[] { 2, 3, 3, 3 }, output.Shape);
        Expect.Close(Expect.Values(expected), output, 1e-5);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], sequence.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void AnInPlaceLastLayerStillHandsBackALiveResult()
    {
        using var scope = new TensorScope();
        using var sequence = new Sequential(new Identity(), new ReLU(inPlace: true));
        var input = Tensor.FromArray(new double[] { -1, 2 }, 2);
        var output = sequence.Forward(input);
        Assert.False(output.IsDisposed);
        Assert.Equal(new double[] { 0, 2 }, output.ToArray<double>());
        // Identity hands out an alias, so the in-place ReLU reached the caller's tensor too, as in PyTorch.
        Assert.Equal(new double[] { 0, 2 }, input.ToArray<double>());
    }

    [Fact]
    public void AnEmptySequenceIsTheIdentity()
    {
        using var scope = new TensorScope();
        using var sequence = new Sequential();
        var input = Tensor.FromArray(new double[] { 3, 4 }, 2);
        var output = sequence.Forward(input);
        Assert.NotSame(input, output);
        Assert.Equal(new double[] { 3, 4 }, output.ToArray<double>());
    }
}
