using Dsl.Runtime.Blocks;

using TorchSharp.Modules;

namespace Dsl.Runtime.Inference;

/// <summary>A bL-module in inference form: both branches, the Little branch's expansion and the fusion block with batch norms folded in.</summary>
public sealed class FusedBigLittle : nn.Module<Tensor, Tensor>
{
    [field: ComponentName(Name = "big")] public BlockSequence<FusedBottleneck> Big { get; }
    [field: ComponentName(Name = "little")] public BlockSequence<FusedBottleneck> Little { get; }
    [field: ComponentName(Name = "little_e")] public FusedConv LittleE { get; }
    [field: ComponentName(Name = "fusion")] public BlockSequence<FusedBottleneck> Fusion { get; }

    public FusedBigLittle(BigLittleModule module, InferenceLayout layout) : base(nameof(FusedBigLittle))
    {
        Big = FusedBottleneck.Sequence(module.Big, layout);
        Little = FusedBottleneck.Sequence(module.Little, layout);
        var expansion = module.LittleE.children().ToList();
        LittleE = FusedConv.Fold((Conv2d)expansion[0], (BatchNorm2d)expansion[1], layout, relu: false);
        Fusion = FusedBottleneck.Sequence(module.Fusion, layout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var little = Little.call(input);
        // The merge of both branches: Big upsampled, plus Little's expansion, then ReLU, in the upsampled tensor.
        var merged = LittleE.AddInto(BigLittleModule.Upsample(Big.call(input), little), little);
        return Fusion.call(merged).MoveToOuterDisposeScope();
    }
}
