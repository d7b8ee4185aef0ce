using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Blocks;

public sealed partial class Shortcut
{
    /// <summary>This shortcut in inference form, its projection's batch norm folded in.</summary>
    public Inference ForInference(InferenceLayout layout) => new(this, layout);

    /// <summary>
    /// A residual shortcut in inference form: the average pool, the 1x1 projection with its batch norm folded in, or
    /// the pool then the projection, as the model's shortcut holds them.
    /// </summary>
    public sealed class Inference : nn.Module<Tensor, Tensor>
    {
        /// <summary>The average pool before the projection, or null where the shortcut has none.</summary>
        public AveragePool? Pool { get; }

        [field: ComponentName(Name = "projection")] public FusedConv? Projection { get; }

        public Inference(Shortcut shortcut, InferenceLayout layout) : base(nameof(Shortcut) + nameof(Inference))
        {
            Pool = shortcut.Pool is { } p ? new AveragePool([.. p.kernel_size], [.. p.stride], [.. p.padding], p.count_include_pad) : null;
            Projection = shortcut.Conv is { } conv ? FusedConv.Fold(conv, shortcut.Norm!, layout, relu: false) : null;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            if (Pool is not { } pool) return Projection!.call(input);
            var pooled = nn.functional.avg_pool2d(input, [.. pool.Kernel], [.. pool.Stride], [.. pool.Padding], count_include_pad: pool.CountIncludePad);
            if (Projection is null) return pooled;
            using (pooled) return Projection.call(pooled);
        }

        /// <summary>The model's average-pool settings per axis (height, width), copied so this form shares no module with it.</summary>
        public sealed record AveragePool(IReadOnlyList<long> Kernel, IReadOnlyList<long> Stride, IReadOnlyList<long> Padding, bool CountIncludePad);
    }
}
