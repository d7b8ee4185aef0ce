using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// The residual shortcuts ("downsample"). The generator decides which one a block gets; these only build it.
/// </summary>
public static class Shortcut
{
    /// <summary>A 1x1 projection with batch norm: torchvision's (strided) and ScaleNet's and Big-Little Net's (stride 1).</summary>
    public static Sequential Projection(long inChannels, long outChannels, long stride = 1) =>
        nn.Sequential(Layers.Conv1x1(inChannels, outChannels, stride), Layers.BatchNorm(outChannels));

    /// <summary>Big-Little Net's strided shortcut when the width stays: a 3x3/2 average pool (padding 1, padded zeros counted).</summary>
    public static Sequential AvgPool() => nn.Sequential(AveragePool());

    /// <summary>Big-Little Net's strided shortcut when the width changes: the average pool, then a stride-1 projection.</summary>
    public static Sequential AvgPoolProjection(long inChannels, long outChannels) =>
        nn.Sequential(AveragePool(), Layers.Conv1x1(inChannels, outChannels), Layers.BatchNorm(outChannels));

    private static AvgPool2d AveragePool() => nn.AvgPool2d(kernel_size: 3, stride: 2, padding: 1);
}
