using Xunit;
using Dsl.Runtime;
using Dsl.Runtime.Nn;
using Dsl.Runtime.Parity;

namespace Dsl.Models.Tests.Parity;

public sealed class ReferenceFillTests
{
    private sealed class TinyNet : Module<Tensor, Tensor>
    {
        public Conv2d Conv { get; }
        public BatchNorm2d Bn { get; }
        public Linear Fc { get; }

        public TinyNet()
        {
            Conv = RegisterModule("conv", new Conv2d(3, 4, 3, bias: false));
            Bn = RegisterModule("bn", new BatchNorm2d(4));
            Fc = RegisterModule("fc", new Linear(4, 2));
        }

        public override Tensor Forward(Tensor input) => throw new NotSupportedException();
    }

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
        using var scope = new TensorScope();
        using var net = new TinyNet();
        ReferenceFill.Fill(net);

        var conv = net.Conv.Weight.ToArray<float>();
        var bound = Math.Sqrt(6.0 / (3 * 3 * 3));
        Assert.All(conv, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(conv.Max(Math.Abs) > 0.8 * bound, "conv weights should span most of their bound");
        var expectedConv = ReferenceFill.Uniform("conv.weight", conv.Length).Select(u => (float)(u * bound)).ToArray();
        Assert.Equal(expectedConv, conv);

        var state = net.StateDict().ToDictionary(e => e.Key, e => e.Value);
        Assert.All(state["bn.running_mean"].ToArray<float>(), v => Assert.Equal(0f, v));
        var u = ReferenceFill.Uniform("bn.running_var", 4);
        Assert.Equal(u.Select(x => (float)(1 + 0.25 * (x + 1))).ToArray(), state["bn.running_var"].ToArray<float>());
        u = ReferenceFill.Uniform("bn.weight", 4);
        Assert.Equal(u.Select(x => (float)(0.5 + 0.25 * x)).ToArray(), state["bn.weight"].ToArray<float>());
        u = ReferenceFill.Uniform("fc.bias", 2);
        Assert.Equal(u.Select(x => (float)(0.01 * x)).ToArray(), state["fc.bias"].ToArray<float>());
        u = ReferenceFill.Uniform("fc.weight", 8);
        Assert.Equal(u.Select(x => (float)(x * Math.Sqrt(3.0 / 4))).ToArray(), state["fc.weight"].ToArray<float>());
        Assert.Equal(0, state["bn.num_batches_tracked"].Item());
    }

    [Fact]
    public void FillIsDeterministicAcrossModels()
    {
        using var scope = new TensorScope();
        using var first = new TinyNet();
        using var second = new TinyNet();
        ReferenceFill.Fill(first);
        ReferenceFill.Fill(second);
        foreach (var (a, b) in first.StateDict().Zip(second.StateDict()))
            Assert.Equal(a.Value.ToBytes(), b.Value.ToBytes());
    }

    [Fact]
    public void InputIsFloat32InRowMajorOrder()
    {
        using var scope = new TensorScope();
        var input = ReferenceFill.Input(2, 3, 4, 4);
        Assert.Equal(DType.Float32, input.DType);
        Assert.Equal([2L, 3, 4, 4], input.Shape);
        var values = input.ToArray<float>();
        Assert.Equal(ReferenceFill.Uniform("input", 96).Select(v => (float)v).ToArray(), values);
    }
}
