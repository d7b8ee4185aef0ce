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
        private readonly AveragePool? pool;

        [field: ComponentName(Name = "projection")] public FusedConv? Projection { get; }

        public Inference(Shortcut shortcut, InferenceLayout layout) : base(nameof(Shortcut) + nameof(Inference))
        {
            pool = shortcut.Pool is { } p ? new AveragePool(p.kernel_size, p.stride, p.padding, p.count_include_pad) : null;
            Projection = shortcut.Conv is { } conv ? FusedConv.Fold(conv, shortcut.Norm!, layout, relu: false) : null;
            RegisterComponents();
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
}
