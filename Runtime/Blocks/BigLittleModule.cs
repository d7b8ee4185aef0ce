using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// A bL-module: the deep Big branch at half resolution and the shallow, narrow Little branch at full
/// resolution, merged by nearest upsampling, addition and ReLU, then one fusion block that carries the
/// module's stride. Child names (big, little, little_e, fusion) are the original state-dict keys.
/// </summary>
public sealed class BigLittleModule : Module<Tensor, Tensor>
{
    public Sequential<Bottleneck> Big { get; }
    public Sequential<Bottleneck> Little { get; }
    public Sequential LittleE { get; }
    public Sequential<Bottleneck> Fusion { get; }

    public BigLittleModule(IEnumerable<Bottleneck> big, IEnumerable<Bottleneck> little, int littleChannels, int outChannels,
        Bottleneck fusion)
    {
        Big = RegisterModule("big", new Sequential<Bottleneck>(big));
        Little = RegisterModule("little", new Sequential<Bottleneck>(little));
        LittleE = RegisterModule("little_e", new Sequential(
            new Conv2d(littleChannels, outChannels, 1, bias: false), new BatchNorm2d(outChannels)));
        Fusion = RegisterModule("fusion", new Sequential<Bottleneck>([fusion]));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var big = Big.Forward(input);
        var little = LittleE.Forward(Little.Forward(input));
        var shape = little.Shape;
        big = Functional.Interpolate(big, shape[2], shape[3], InterpolationMode.Nearest);
        var merged = big.AddInPlace(little).ReluInPlace();
        return scope.MoveOut(Fusion.Forward(merged));
    }
}
