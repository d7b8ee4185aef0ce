using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Blocks;

public sealed partial class ScaleBlock
{
    public Inference ForInference(InferenceLayout layout) => new(this, layout);

    /// <summary>
    /// ScaleNet's SA block in inference form. Each branch's batch norm comes after its upsample in the model
    /// (conv, upsample, BN) and is folded into the convolution before the upsample, which is exact
    /// (<see cref="BatchNormFolding"/>); the ReLU stays after the concatenation, as bilinear upsampling does not commute with it.
    /// </summary>
    public sealed class Inference : nn.Module<Tensor, Tensor>
    {
        [field: ComponentName(Name = "downsample")] public Shortcut.Inference? Downsample { get; }
        [field: ComponentName(Name = "conv1")] public FusedConv Conv1 { get; }
        [field: ComponentName(Name = "conv2")] public BranchList<FusedConv> Conv2 { get; }
        [field: ComponentName(Name = "conv3")] public FusedConv Conv3 { get; }
        public long Stride { get; }
        public IReadOnlyList<ScaleBranch> Branches { get; }

        public Inference(ScaleBlock block, InferenceLayout layout) : base(nameof(ScaleBlock) + "." + nameof(Inference))
        {
            Stride = block.Stride;
            Branches = block.Branches;
            Downsample = block.Downsample?.ForInference(layout);
            Conv1 = FusedConv.Fold(block.Conv1, block.Bn1, layout, relu: true);
            Conv2 = new BranchList<FusedConv>(Enumerable.Range(0, block.Branches.Count)
                .Select(i => block.Conv2[i] is { } conv ? FusedConv.Fold(conv, block.Bn2[i]!, layout, relu: false) : null));
            Conv3 = FusedConv.Fold(block.Conv3, block.Bn3, layout, relu: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = Stride > 1 ? nn.functional.max_pool2d(input, Stride, Stride) : input;
            // The shortcut's tensor takes the sum below, so it must be one this block owns.
            var residual = Downsample is not null ? Downsample.call(x) : ReferenceEquals(x, input) ? input.clone() : x;
            var reduced = Conv1.call(x);
            var outputs = new List<Tensor>(Branches.Count);
            for (var i = 0; i < Branches.Count; i++)
            {
                if (Branches[i].Channels == 0) continue;
                outputs.Add(Branches[i].Apply(reduced, Conv2[i]!));
            }
            var merged = (outputs.Count == 1 ? outputs[0] : cat(outputs, 1)).relu_();
            return Conv3.AddInto(residual, merged).MoveToOuterDisposeScope();
        }
    }
}
