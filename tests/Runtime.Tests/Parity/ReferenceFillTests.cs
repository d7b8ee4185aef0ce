using Dsl.Runtime.Tests.Checkpoints;
using Dsl.Runtime.Parity;

namespace Dsl.Runtime.Tests.Parity;

public sealed class ReferenceFillTests
{
    [Fact]
    public void UniformMatchesThePublishedFirstInputValues()
    {
        var values = ReferenceFill.Uniform("input", 3);
        Assert.Equal(-0.804363, values[0], 6);
        Assert.Equal(0.304721, values[1], 6);
        Assert.Equal(-0.592751, values[2], 6);
    }

    [Fact]
    public void UniformIsDeterministicPerNameAndPrefixStable()
    {
        var a = ReferenceFill.Uniform("layer1.0.conv1.weight", 1000);
        Assert.Equal(a, ReferenceFill.Uniform("layer1.0.conv1.weight", 1000));
        Assert.Equal(a[..10], ReferenceFill.Uniform("layer1.0.conv1.weight", 10));
        Assert.NotEqual(a[..10], ReferenceFill.Uniform("layer1.0.conv2.weight", 10));
        Assert.All(a, v => Assert.InRange(v, -1.0, 1.0 - 1e-16));
        Assert.InRange(a.Average(), -0.1, 0.1);
    }

    [Fact]
    public void FillFollowsTheTablePerEntry()
    {
        using var net = new SmallNet(classes: 2);
        ReferenceFill.Fill(net);

        var conv = TensorValues.Floats(net.ConvWeight);
        var bound = Math.Sqrt(6.0 / (3 * 3 * 3));
        Assert.All(conv, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(conv.Max(Math.Abs) > 0.8 * bound, "conv weights should span most of their bound");
        var expectedConv = ReferenceFill.Uniform("conv1.weight", conv.Length).Select(u => (float)(u * bound)).ToArray();
        Assert.Equal(expectedConv, conv);

        var state = net.state_dict();
        Assert.Equal(new float[4], TensorValues.Floats(state["bn1.running_mean"]));
        var u = ReferenceFill.Uniform("bn1.running_var", 4);
        Assert.Equal(u.Select(x => (float)(1 + 0.25 * (x + 1))).ToArray(), TensorValues.Floats(state["bn1.running_var"]));
        u = ReferenceFill.Uniform("bn1.weight", 4);
        Assert.Equal(u.Select(x => (float)(0.5 + 0.25 * x)).ToArray(), TensorValues.Floats(state["bn1.weight"]));
        u = ReferenceFill.Uniform("bn1.bias", 4);
        Assert.Equal(u.Select(x => (float)(0.01 * x)).ToArray(), TensorValues.Floats(state["bn1.bias"]));
        u = ReferenceFill.Uniform("fc.bias", 2);
        Assert.Equal(u.Select(x => (float)(0.01 * x)).ToArray(), TensorValues.Floats(state["fc.bias"]));
        u = ReferenceFill.Uniform("fc.weight", 8);
        Assert.Equal(u.Select(x => (float)(x * Math.Sqrt(3.0 / 4))).ToArray(), TensorValues.Floats(state["fc.weight"]));
        Assert.Equal(0L, state["bn1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void FillIsDeterministicAcrossModels()
    {
        using var first = new SmallNet();
        using var second = new SmallNet();
        Assert.NotEqual(first.Snapshot(), second.Snapshot());
        ReferenceFill.Fill(first);
        ReferenceFill.Fill(second);
        Assert.Equal(first.Snapshot(), second.Snapshot());
    }

    [Fact]
    public void InputIsFloat32InRowMajorOrder()
    {
        using var input = ReferenceFill.Input(2, 3, 4, 4);
        Assert.Equal(ScalarType.Float32, input.dtype);
        Assert.Equal([2L, 3, 4, 4], input.shape);
        var values = TensorValues.Floats(input);
        Assert.Equal(ReferenceFill.Uniform("input", 96).Select(v => (float)v).ToArray(), values);
    }
}
