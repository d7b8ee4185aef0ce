using Dsl.Runtime.Platform;
using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// ScaleNet's SA block. A 2x2 max-pool at the input carries the stride; a 1x1 reduction feeds up to four
/// branches that max-pool by their scale, convolve, upsample back and batch-normalize; their
/// concatenation goes through ReLU, a 1x1 expansion and batch norm, then the residual add and ReLU.
/// </summary>
public sealed partial class ScaleBlock : nn.Module<Tensor, Tensor>, IHasInferenceTwin<ScaleBlock.Inference>
{
    [field: ComponentName(Name = "downsample")] public Shortcut? Downsample { get; }
    [field: ComponentName(Name = "conv1")] public Conv2d Conv1 { get; }
    [field: ComponentName(Name = "bn1")] public BatchNorm2d Bn1 { get; }
    [field: ComponentName(Name = "conv2")] public BranchList<Conv2d> Conv2 { get; }
    [field: ComponentName(Name = "bn2")] public BranchList<BatchNorm2d> Bn2 { get; }
    [field: ComponentName(Name = "conv3")] public Conv2d Conv3 { get; }
    [field: ComponentName(Name = "bn3")] public BatchNorm2d Bn3 { get; }
    public long Stride { get; }
    public IReadOnlyList<ScaleBranch> Branches { get; }

    /// <param name="branches">The four branches in key order; one with 0 channels is absent but keeps its index.</param>
    /// <param name="downsample">The shortcut the network's rule chose for this block; null is the identity.</param>
    public ScaleBlock(long inChannels, long planes, long outChannels, IReadOnlyList<ScaleBranch> branches, long stride = 1,
        Shortcut? downsample = null) : base(nameof(ScaleBlock))
    {
        Stride = stride;
        Branches = branches;
        Downsample = downsample;
        Conv1 = Layers.Conv1x1(inChannels, planes);
        Bn1 = Layers.BatchNorm(planes);
        Conv2 = new BranchList<Conv2d>(branches.Select(b => b.Channels > 0 ? Layers.Conv(planes, b.Channels, b.Kernel) : null));
        Bn2 = new BranchList<BatchNorm2d>(branches.Select(b => b.Channels > 0 ? Layers.BatchNorm(b.Channels) : null));
        Conv3 = Layers.Conv1x1(branches.Sum(b => b.Channels), outChannels);
        Bn3 = Layers.BatchNorm(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Stride > 1 ? nn.functional.max_pool2d(input, Stride, Stride) : input;
        var residual = Downsample is null ? x : Downsample.call(x);
        var reduced = BatchNormLayout.Normalize(Bn1, Conv1.call(x)).relu_();
        var outputs = new List<Tensor>(Branches.Count);
        for (var i = 0; i < Branches.Count; i++)
        {
            if (Branches[i].Channels == 0) continue;
            outputs.Add(NormalizeBranch(Bn2[i]!, Branches[i].Apply(reduced, Conv2[i]!)));
        }
        // A lone branch's output is the batch norm's own (a view autograd will not let be changed in place); a concatenation is new.
        var merged = outputs.Count == 1 ? outputs[0].relu() : cat(outputs, 1).relu_();
        return BatchNormLayout.Normalize(Bn3, Conv3.call(merged)).add_(residual).relu_().MoveToOuterDisposeScope();
    }

    /// <summary>Branches narrower than this are batch-normalized in NCHW while training channels-last.</summary>
    public const long ThinBranch = 64;

    /// <summary>
    /// A branch's batch norm. libtorch's training-mode batch norm on channels-last input of few channels is many times
    /// slower than on NCHW (16x12x56x56 in bfloat16, forward and backward: 16.7 ms against 0.7 ms; at 256 channels NHWC
    /// is the faster), so a thin branch is normalized NCHW and laid back NHWC for the concatenation. The concatenation's
    /// backward hands each branch a slice of its gradient, which <see cref="DenseGradient"/> lays out densely for the
    /// batch norm's backward.
    /// </summary>
    private static Tensor NormalizeBranch(BatchNorm2d norm, Tensor branch)
    {
        if (!norm.training || !branch.IsChannelsLast() || branch.shape[1] >= ThinBranch) return DenseGradient.Of(norm.call(branch));
        return DenseGradient.Of(norm.call(branch.contiguous())).ToChannelsLast();
    }
}

/// <summary>
/// One branch of an SA block as the generator worked it out: max-pool by <see cref="Scale"/>, then a
/// <see cref="Kernel"/>-sized convolution to <see cref="Channels"/> (0: the branch is absent).
/// </summary>
public sealed record ScaleBranch
{
    public ScaleBranch(long scale, long channels, long kernel = 3)
    {
        Scale = scale;
        Channels = channels;
        Kernel = kernel;
    }

    public long Scale { get; }
    public long Channels { get; }
    public long Kernel { get; }

    /// <summary>The branch on the block's reduced map: pool, <paramref name="conv"/>, and back to the map's size.</summary>
    public Tensor Apply(Tensor reduced, nn.Module<Tensor, Tensor> conv)
    {
        if (Scale == 1) return conv.call(reduced);
        using var pooled = nn.functional.max_pool2d(reduced, Scale, Scale);
        using var convolved = conv.call(pooled);
        return Upsample(convolved, reduced.shape[2], reduced.shape[3]);
    }

    /// <summary>Back to the block's size: nearest where the size divides evenly, bilinear otherwise (as the original decides per call).</summary>
    private static Tensor Upsample(Tensor t, long height, long width) =>
        height % t.shape[2] == 0 && width % t.shape[3] == 0
            ? nn.functional.interpolate(t, size: [height, width], mode: InterpolationMode.Nearest)
            : nn.functional.interpolate(t, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
}
