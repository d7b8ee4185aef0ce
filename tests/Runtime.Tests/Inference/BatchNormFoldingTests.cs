using Dsl.Runtime.Blocks;
using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Tests.Inference;

/// <summary>The folding itself, on single layers and on the blocks whose batch norm does not follow its convolution directly.</summary>
public sealed class BatchNormFoldingTests
{
    private static readonly InferenceLayout Float32 = new(Precision.Float32, MemoryFormat.Nchw);

    [Fact]
    public void FoldedConvolutionEqualsConvolutionThenBatchNorm()
    {
        using var scope = NewDisposeScope();
        var conv = Layers.Conv3x3(8, 16, stride: 2);
        var norm = Layers.BatchNorm(16);
        TrainedState.Apply(nn.Sequential(conv, norm), seed: 11);
        norm.eval();
        var x = randn(2, 8, 9, 9);

        var expected = norm.call(conv.call(x));
        var actual = FusedConv.Fold(conv, norm, Float32, relu: false).call(x);

        Assert.True(Agreement.RelativeError(actual, expected) <= 1e-6);
    }

    [Fact]
    public void FoldingRefusesABatchNormWithoutRunningStatistics()
    {
        var conv = Layers.Conv1x1(4, 4);
        var norm = nn.BatchNorm2d(4, track_running_stats: false);
        Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold(conv, norm));
    }

    /// <summary>
    /// ScaleNet's branches normalize after upsampling. On 7x7 the scale-2 branch comes back from 3x3, bilinearly,
    /// and the scale-4 and scale-7 branches from 1x1, nearest; the folding crosses both.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ScaleBlockFoldsAcrossNearestAndBilinearUpsampling(long stride)
    {
        using var scope = NewDisposeScope();
        var block = new ScaleBlock(inChannels: 16, planes: 16, outChannels: 32,
            branches: [new(1, 6, 3), new(2, 5, 3), new(4, 3, 3), new(7, 2, 1)], stride: stride,
            downsample: Shortcut.Projection(16, 32));
        TrainedState.Apply(block, seed: 12);
        block.eval();
        var x = randn(2, 16, 7 * stride, 7 * stride);

        var expected = block.call(x);
        var actual = block.ForInference(Float32).call(x);

        Assert.True(Agreement.RelativeError(actual, expected) <= 1e-5);
    }

    [Fact]
    public void BottleneckWithAveragePoolShortcutAndSqueezeExcitation()
    {
        using var scope = NewDisposeScope();
        var block = new Bottleneck(inChannels: 16, midChannels: 8, outChannels: 32, stride: 2, groups: 4,
            downsample: Shortcut.AvgPoolProjection(16, 32), seReduction: 4);
        TrainedState.Apply(block, seed: 13);
        block.eval();
        var x = randn(2, 16, 9, 9);

        var expected = block.call(x);
        var channelsLast = new InferenceLayout(Precision.Float32, MemoryFormat.Nhwc);
        var actual = block.ForInference(channelsLast).call(channelsLast.Convert(x));

        Assert.True(Agreement.RelativeError(actual, expected) <= 1e-5);
    }
}
