using Dsl.Runtime.Blocks;
using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Compute;

public sealed class AutocastTests
{
    [Fact]
    public void AConvolutionInTheScopeEqualsTheBFloat16ConvolutionOfItsCastWeights()
    {
        manual_seed(1);
        using var conv = Layers.Conv3x3(8, 16, stride: 2, groups: 2);
        using var input = randn(2, 8, 9, 9);
        using var scope = NewDisposeScope();
        Tensor mixed;
        using (Autocast.BFloat16()) mixed = conv.call(input);
        var expected = nn.functional.conv2d(input.to(ScalarType.BFloat16), conv.weight!.to(ScalarType.BFloat16), null, [2, 2], [1, 1], [1, 1], 2);
        var float32 = conv.call(input);
        Assert.Equal(ScalarType.BFloat16, mixed.dtype);
        Assert.True(mixed.equal(expected).all().item<bool>());
        // bfloat16 keeps 8 bits of mantissa: the result is close to float32's but not equal.
        Assert.False(mixed.to(ScalarType.Float32).equal(float32).all().item<bool>());
        Assert.True(mixed.to(ScalarType.Float32).allclose(float32, rtol: 0.05, atol: 0.05));
    }

    [Fact]
    public void AConvolutionOfAOneChannelInputComputesInFloat32InTheScope()
    {
        manual_seed(3);
        using var grey = Layers.Conv(1, 12, kernel: 3);
        using var colour = Layers.Conv(3, 12, kernel: 3);
        using var scope = NewDisposeScope();
        var greyImages = randn(2, 1, 8, 8);
        var colourImages = randn(2, 3, 8, 8);
        Tensor greyMixed, colourMixed;
        using (Autocast.BFloat16())
        {
            greyMixed = Autocast.Stem(grey, greyImages);
            colourMixed = Autocast.Stem(colour, colourImages);
        }
        // Computed in float32, handed on in bfloat16 as every other layer's output.
        Assert.Equal(ScalarType.BFloat16, greyMixed.dtype);
        Assert.True(greyMixed.equal(grey.call(greyImages).to(ScalarType.BFloat16)).all().item<bool>());
        Assert.Equal(ScalarType.BFloat16, colourMixed.dtype);
        Assert.False(colourMixed.equal(colour.call(colourImages).to(ScalarType.BFloat16)).all().item<bool>());
        Assert.Null(Autocast.ComputeType);
    }

    [Fact]
    public void OutsideAScopeALayerRunsItsOwnFloat32Forward()
    {
        manual_seed(2);
        using var block = new Bottleneck(16, 4, 16, seReduction: 4);
        using var input = randn(2, 16, 6, 6);
        using var scope = NewDisposeScope();
        using (Autocast.BFloat16()) { }
        Assert.Null(Autocast.ComputeType);
        var stem = Autocast.Stem(block.Conv1, input);
        Assert.Equal(ScalarType.Float32, stem.dtype);
        Assert.Equal(ScalarType.Float32, block.call(input).dtype);
    }

    [Fact]
    public void ABottleneckTrainsInBFloat16WithFloat32WeightsGradientsAndStatistics()
    {
        manual_seed(3);
        using var block = new Bottleneck(8, 4, 16, stride: 2, downsample: Shortcut.Projection(8, 16, stride: 2), seReduction: 4);
        block.train();
        var seen = new List<(string Layer, ScalarType Type)>();
        var hooks = new List<Action>();
        foreach (var (name, layer) in block.named_modules())
            if (layer is BatchNorm2d norm)
                hooks.Add(norm.register_forward_pre_hook((_, x) => { seen.Add((name, x.dtype)); return null!; }).remove);
        using var input = randn(4, 8, 8, 8);
        using (var scope = NewDisposeScope())
        {
            Tensor output;
            using (Autocast.BFloat16()) output = block.call(input);
            Assert.Equal(ScalarType.BFloat16, output.dtype);
            output.to(ScalarType.Float32).square().mean().backward();
        }
        foreach (var remove in hooks) remove();

        // Every batch norm, the shortcut.s included, saw a bfloat16 convolution output.
        Assert.Equal(["bn1", "bn2", "bn3", "downsample.1"], seen.Select(s => s.Layer).Order());
        Assert.All(seen, s => Assert.Equal(ScalarType.BFloat16, s.Type));
        foreach (var (name, parameter) in block.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.True(parameter.grad is { } grad && grad.dtype == ScalarType.Float32, $"{name} has no float32 gradient");
        }
        Assert.True(block.Conv2.weight!.grad!.abs().sum().item<float>() > 0);
        Assert.True(block.SeLayer!.Fc1.weight!.grad!.abs().sum().item<float>() > 0);
        // Running statistics stay float32 and took this batch in (they start at 0 and 1).
        Assert.Equal(ScalarType.Float32, block.Bn1.running_mean!.dtype);
        Assert.Equal(ScalarType.Float32, block.Bn1.running_var!.dtype);
        Assert.True(block.Bn1.running_mean.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void ScopesNestRestoreAndBelongToOneThread()
    {
        using (Autocast.BFloat16())
        {
            using (var inner = Autocast.BFloat16())
            {
                Assert.Equal(ScalarType.BFloat16, Autocast.ComputeType);
                inner.Dispose();
                Assert.Equal(ScalarType.BFloat16, Autocast.ComputeType);
            }
            ScalarType? elsewhere = ScalarType.Float64;
            var thread = new Thread(() => elsewhere = Autocast.ComputeType);
            thread.Start();
            thread.Join();
            Assert.Null(elsewhere);
            Assert.Equal(ScalarType.BFloat16, Autocast.ComputeType);
        }
        Assert.Null(Autocast.ComputeType);
    }

    [Fact]
    public void ALayerTheCallerBuiltComputesInBFloat16InTheScopeWhateverItsPadding()
    {
        manual_seed(5);
        using var conv = nn.Conv2d(2, 2, 3, padding: 1, padding_mode: TorchSharp.PaddingModes.Reflect);
        using var input = randn(1, 2, 5, 5);
        using var scope = NewDisposeScope();
        Tensor mixed;
        using (Autocast.BFloat16()) mixed = conv.call(input);
        Assert.Equal(ScalarType.BFloat16, mixed.dtype);
        Assert.True(mixed.to(ScalarType.Float32).allclose(conv.call(input), rtol: 0.05, atol: 0.05));
    }

    [Fact]
    public void ALinearLayerInTheScopeComputesInBFloat16()
    {
        manual_seed(4);
        using var fc = nn.Linear(12, 5);
        using var input = randn(3, 12);
        using var scope = NewDisposeScope();
        Tensor mixed;
        using (Autocast.BFloat16()) mixed = fc.call(input);
        var expected = nn.functional.linear(input.to(ScalarType.BFloat16), fc.weight!.to(ScalarType.BFloat16), fc.bias!.to(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, mixed.dtype);
        Assert.True(mixed.equal(expected).all().item<bool>());
    }
}
