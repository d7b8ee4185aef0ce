namespace Dsl.Runtime.Blocks;

/// <summary>
/// A bL-module: the deep Big branch at half resolution and the shallow, narrow Little branch at full
/// resolution, merged by nearest upsampling, addition and ReLU, then one fusion block that carries the
/// module's stride. Child names (big, little, little_e, fusion) are the original state-dict keys.
/// </summary>
public sealed partial class BigLittleModule : nn.Module<Tensor, Tensor>, IHasInferenceTwin<BigLittleModule.Inference>
{
    [field: ComponentName(Name = "big")] public BlockSequence<Bottleneck> Big { get; }
    [field: ComponentName(Name = "little")] public BlockSequence<Bottleneck> Little { get; }
    [field: ComponentName(Name = "little_e")] public LittleExpansion LittleE { get; }
    [field: ComponentName(Name = "fusion")] public BlockSequence<Bottleneck> Fusion { get; }

    public BigLittleModule(Bottleneck[] big, Bottleneck[] little, long littleChannels, long outChannels, Bottleneck fusion)
        : base(nameof(BigLittleModule))
    {
        Big = new BlockSequence<Bottleneck>(big);
        Little = new BlockSequence<Bottleneck>(little);
        LittleE = new LittleExpansion(littleChannels, outChannels);
        Fusion = new BlockSequence<Bottleneck>(fusion);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var merged = Merge(Big.call(input), LittleE.call(Little.call(input)));
        return Fusion.call(merged).MoveToOuterDisposeScope();
    }

    /// <summary>The two branches joined: Big upsampled (nearest) to Little's size, added, ReLU.</summary>
    private static Tensor Merge(Tensor big, Tensor little) => Upsample(big, little).add_(little).relu_();

    /// <summary>Big upsampled (nearest) to Little's height and width.</summary>
    private static Tensor Upsample(Tensor big, Tensor little) =>
        nn.functional.interpolate(big, size: [little.shape[2], little.shape[3]], mode: InterpolationMode.Nearest);
}
