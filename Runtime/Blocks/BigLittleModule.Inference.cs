using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Blocks;

public sealed partial class BigLittleModule
{
    public Inference ForInference(InferenceLayout layout) => new(this, layout);

    /// <summary>A bL-module in inference form: both branches, the Little branch's expansion and the fusion block with batch norms folded in.</summary>
    public sealed class Inference : nn.Module<Tensor, Tensor>
    {
        [field: ComponentName(Name = "big")] public BlockSequence<Bottleneck.Inference> Big { get; }
        [field: ComponentName(Name = "little")] public BlockSequence<Bottleneck.Inference> Little { get; }
        [field: ComponentName(Name = "little_e")] public FusedConv LittleE { get; }
        [field: ComponentName(Name = "fusion")] public BlockSequence<Bottleneck.Inference> Fusion { get; }

        public Inference(BigLittleModule module, InferenceLayout layout) : base(nameof(BigLittleModule) + "." + nameof(Inference))
        {
            Big = module.Big.ForInference(layout);
            Little = module.Little.ForInference(layout);
            LittleE = module.LittleE.ForInference(layout);
            Fusion = module.Fusion.ForInference(layout);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var little = Little.call(input);
            // The merge of both branches: Big upsampled, plus Little's expansion, then ReLU, in the upsampled tensor.
            var merged = LittleE.AddInto(Upsample(Big.call(input), little), little);
            return Fusion.call(merged).MoveToOuterDisposeScope();
        }
    }
}
