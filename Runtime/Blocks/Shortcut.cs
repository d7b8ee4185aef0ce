using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// A residual shortcut ("downsample"): Big-Little Net's 3x3/2 average pool, a 1x1 projection with batch norm, or the
/// pool then the projection. The generator decides which one a block gets; the factories only build it. Children are
/// registered by position, as the original nn.Sequential did: <c>downsample.0</c> is the pool where there is one, and
/// the projection's convolution and batch norm follow it (<c>downsample.0</c>, <c>.1</c> or <c>.1</c>, <c>.2</c>).
/// </summary>
public sealed partial class Shortcut : nn.Module<Tensor, Tensor>
{
    public AvgPool2d? Pool { get; }
    public Conv2d? Conv { get; }
    public BatchNorm2d? Norm { get; }

    private Shortcut(AvgPool2d? pool, Conv2d? conv, BatchNorm2d? norm) : base(nameof(Shortcut))
    {
        Pool = pool;
        Conv = conv;
        Norm = norm;
        nn.Module?[] children = [pool, conv, norm];
        var index = 0;
        foreach (var child in children.OfType<nn.Module>())
            register_module((index++).ToString(System.Globalization.CultureInfo.InvariantCulture), child);
    }

    /// <summary>A 1x1 projection with batch norm: torchvision's (strided) and ScaleNet's and Big-Little Net's (stride 1).</summary>
    public static Shortcut Projection(long inChannels, long outChannels, long stride = 1) =>
        new(null, Layers.Conv1x1(inChannels, outChannels, stride), Layers.BatchNorm(outChannels));

    /// <summary>Big-Little Net's strided shortcut when the width stays: a 3x3/2 average pool (padding 1, padded zeros counted).</summary>
    public static Shortcut AvgPool() => new(AveragePool(), null, null);

    /// <summary>Big-Little Net's strided shortcut when the width changes: the average pool, then a stride-1 projection.</summary>
    public static Shortcut AvgPoolProjection(long inChannels, long outChannels) =>
        new(AveragePool(), Layers.Conv1x1(inChannels, outChannels), Layers.BatchNorm(outChannels));

    private static AvgPool2d AveragePool() => nn.AvgPool2d(kernel_size: 3, stride: 2, padding: 1);

    public override Tensor forward(Tensor input)
    {
        if (Conv is null) return Pool!.call(input);
        if (Pool is null) return BatchNormLayout.Normalize(Norm!, Conv.call(input));
        using var pooled = Pool.call(input);
        return BatchNormLayout.Normalize(Norm!, Conv.call(pooled));
    }

    /// <summary>Children are registered by position in the constructor.</summary>
    protected override void RegisterComponents() { }
}
