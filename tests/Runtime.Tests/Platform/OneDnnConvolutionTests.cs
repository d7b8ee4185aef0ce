using Dsl.Runtime.Tests.Inference;
using Dsl.Runtime;
using Dsl.Runtime.Blocks;
using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Tests.Platform;

/// <summary>The fused oneDNN convolutions against libtorch's convolution followed by the same add and ReLU.</summary>
public sealed class OneDnnConvolutionTests
{
    public static TheoryData<long, long, long, bool> Geometries() => new()
    {
        // groups, stride, dilation, ReLU
        { 1, 1, 1, true },
        { 1, 2, 1, false },
        { 4, 1, 2, true },
        { 8, 2, 1, true },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ConvolutionEqualsConvolutionThenReLU(long groups, long stride, long dilation, bool relu)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = randn(2, 16, 13, 13).ToChannelsLast();
        var weight = (randn(32, 16 / groups, 3, 3) * 0.2).ToChannelsLast();
        var bias = randn(32);
        long[] strides = [stride, stride], padding = [dilation, dilation], dilations = [dilation, dilation];

        if (Gated(x)) return;
        var convolved = nn.functional.conv2d(x, weight, bias, strides, padding, dilations, groups);
        var expected = relu ? convolved.relu() : convolved;
        var actual = OneDnnConvolution.Instance.Convolve(x, weight, bias, strides, padding, dilations, groups, relu);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(Agreement.RelativeError(actual, expected) <= 1e-5, $"relative error {Agreement.RelativeError(actual, expected)}");
        Assert.Equal(relu, actual.min().item<float>() >= 0);
    }

    [Fact]
    public void SumIsWrittenIntoTheResidualThenReLU()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var x = randn(2, 16, 10, 10).ToChannelsLast();
        var weight = (randn(24, 16, 1, 1) * 0.2).ToChannelsLast();
        var bias = randn(24);
        var residual = randn(2, 24, 10, 10).ToChannelsLast();
        if (Gated(x)) return;
        var expected = (residual + nn.functional.conv2d(x, weight, bias)).relu();

        var actual = OneDnnConvolution.Instance.ConvolveAdd(residual, x, weight, bias, [1, 1], [0, 0], [1, 1], 1, relu: true);

        Assert.True(Agreement.RelativeError(actual, expected) <= 1e-5);
        Assert.True(Agreement.RelativeError(residual, expected) <= 1e-5, "the sum is not in the residual's tensor");
    }

    [Fact]
    public void ConvolvesWhileTheCollectorRuns()
    {
        // Padding, strides, dilations and groups reach TorchScript as native scalars: one finalized before libtorch
        // reads it fails the call or convolves with another geometry.
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = randn(1, 8, 6, 6).ToChannelsLast();
        var weight = (randn(8, 4, 3, 3) * 0.2).ToChannelsLast();
        if (Gated(x)) return;
        var expected = nn.functional.conv2d(x, weight, null, [2, 2], [1, 1], [1, 1], groups: 2);
        // Only the call under test runs while the collector does: the checks use TorchSharp's own temporary scalars
        // (a tensor subtraction's alpha), which the collector could finalize just as well.
        var results = new List<Tensor>(3000);
        using (new BackgroundCollector())
            for (var call = 0; call < 3000; call++)
                results.Add(OneDnnConvolution.Instance.Convolve(x, weight, null, [2, 2], [1, 1], [1, 1], 2, relu: false));
        for (var call = 0; call < results.Count; call++)
            Assert.True(Agreement.RelativeError(results[call], expected) <= 1e-5, $"call {call}: {Agreement.RelativeError(results[call], expected)}");
    }

    [Fact]
    public void TakesChannelsLastCpuTensorsInFloat32OrBFloat16Only()
    {
        using var scope = NewDisposeScope();
        var nchw = randn(2, 8, 5, 5);
        // Where the runtime turned oneDNN off on this CPU, nothing is taken.
        Assert.Equal(OneDnn.Enabled, OneDnnConvolution.Supports(nchw.ToChannelsLast()));
        // bfloat16 only where the CPU has oneDNN's bfloat16 convolution: elsewhere libtorch refuses the call.
        Assert.Equal(OneDnn.Enabled && CpuCapabilities.Current.OneDnnBFloat16, OneDnnConvolution.Supports(nchw.to(bfloat16).ToChannelsLast()));
        Assert.False(OneDnnConvolution.Supports(nchw));
        Assert.False(OneDnnConvolution.Supports(nchw.to(float64).ToChannelsLast()));
        Assert.False(OneDnnConvolution.SupportsAdd(nchw, nchw.ToChannelsLast()));
        Assert.False(OneDnnConvolution.SupportsAdd(nchw.to(bfloat16).ToChannelsLast(), nchw.ToChannelsLast()));
    }

    [OneDnnBFloat16Fact]
    public void BFloat16ConvolutionAndSumEqualLibTorchsOnTheRoundedInputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var x = randn(2, 16, 11, 11).to(bfloat16).ToChannelsLast();
        var weight = (randn(16, 16, 3, 3) * 0.2).to(bfloat16).ToChannelsLast();
        var bias = randn(16).to(bfloat16);
        var residual = randn(2, 16, 11, 11).to(bfloat16).ToChannelsLast();
        if (Gated(x)) return;
        var convolved = nn.functional.conv2d(x.to(float32), weight.to(float32), bias.to(float32), padding: [1, 1]);

        var relu = OneDnnConvolution.Instance.Convolve(x, weight, bias, [1, 1], [1, 1], [1, 1], 1, relu: true);
        var joined = OneDnnConvolution.Instance.ConvolveAdd(residual.clone(), x, weight, bias, [1, 1], [1, 1], [1, 1], 1, relu: true);

        Assert.Equal(ScalarType.BFloat16, relu.dtype);
        Assert.True(Agreement.RelativeError(relu.to(float32), convolved.relu()) <= 1e-2, $"{Agreement.RelativeError(relu.to(float32), convolved.relu())}");
        var expected = (residual.to(float32) + convolved).relu();
        Assert.True(Agreement.RelativeError(joined.to(float32), expected) <= 1e-2, $"{Agreement.RelativeError(joined.to(float32), expected)}");
    }

    /// <summary>
    /// Where the runtime turned oneDNN off (<see cref="OneDnn"/>: it computed wrong results, or crashed, on this CPU), the
    /// operator is never called and is not called here either: the test checks that gate instead.
    /// </summary>
    private static bool Gated(Tensor input)
    {
        if (OneDnn.Enabled) return false;
        Assert.False(OneDnnConvolution.Supports(input));
        return true;
    }

    /// <summary>A fused convolution's residual join gives the same on NCHW input (libtorch's add and ReLU) as on channels-last (one oneDNN call).</summary>
    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.BFloat16, 2e-2)]
    public void ResidualJoinAgreesAcrossLayouts(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var conv = Layers.Conv3x3(8, 8, stride: 1);
        var norm = Layers.BatchNorm(8);
        TrainedState.Apply(nn.Sequential(conv, norm), seed: 12);
        norm.eval();
        var x = randn(2, 8, 9, 9);
        var residual = randn(2, 8, 9, 9);
        var expected = (residual + norm.call(conv.call(x))).relu();

        foreach (var format in new[] { MemoryFormat.Nchw, MemoryFormat.Nhwc })
        {
            var layout = new InferenceLayout(dtype == ScalarType.BFloat16 ? Precision.BFloat16 : Precision.Float32, format);
            var fused = FusedConv.Fold(conv, norm, layout, relu: false);
            // AddInto writes into the residual it is given, so each layout gets its own copy.
            var actual = fused.AddInto(layout.Convert(residual.clone()), layout.Convert(x));
            Assert.True(Agreement.RelativeError(actual.to(float32), expected) <= tolerance, $"{format}: {Agreement.RelativeError(actual.to(float32), expected)}");
        }
    }
}
