using TorchSharp.Modules;

namespace Dsl.Runtime.Inference;

/// <summary>
/// A residual shortcut in inference form: Big-Little Net's average pool, a 1x1 projection with its batch norm
/// folded in, or the pool then the projection, as the model's downsample sequence holds them.
/// </summary>
public sealed class FusedShortcut : nn.Module<Tensor, Tensor>
{
    private readonly AveragePool? pool;

    [field: ComponentName(Name = "projection")] public FusedConv? Projection { get; }

    private FusedShortcut(AvgPool2d? pool, FusedConv? projection) : base(nameof(FusedShortcut))
    {
        this.pool = pool is null ? null : new AveragePool(pool.kernel_size, pool.stride, pool.padding, pool.count_include_pad);
        Projection = projection;
        RegisterComponents();
    }

    /// <summary>The shortcut built from a block's downsample sequence; null (the identity) when the block has none.</summary>
    public static FusedShortcut? From(Sequential? downsample, InferenceLayout layout)
    {
        if (downsample is null) return null;
        var children = downsample.children().ToList();
        var pool = children.OfType<AvgPool2d>().SingleOrDefault();
        var conv = children.OfType<Conv2d>().SingleOrDefault();
        var norm = children.OfType<BatchNorm2d>().SingleOrDefault();
        var known = (pool is null ? 0 : 1) + (conv is null ? 0 : 1) + (norm is null ? 0 : 1);
        if (known == 0 || known != children.Count || (conv is null) != (norm is null))
            throw new ArgumentException("A shortcut is an average pool, a convolution with batch norm, or both.", nameof(downsample));
        return new FusedShortcut(pool, conv is null ? null : FusedConv.Fold(conv, norm!, layout, relu: false));
    }

    public override Tensor forward(Tensor input)
    {
        if (pool is null) return Projection!.call(input);
        var pooled = nn.functional.avg_pool2d(input, pool.Kernel, pool.Stride, pool.Padding, count_include_pad: pool.CountIncludePad);
        if (Projection is null) return pooled;
        using (pooled) return Projection.call(pooled);
    }

    /// <summary>The model's average-pool settings, copied so this form shares no module with it.</summary>
    private sealed record AveragePool(long[] Kernel, long[] Stride, long[] Padding, bool CountIncludePad);
}
