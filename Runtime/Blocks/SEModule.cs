using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Blocks;

/// <summary>Squeeze-and-excitation: global average, 1x1 conv down, ReLU, 1x1 conv up, sigmoid, rescale.</summary>
public sealed class SEModule : Module<Tensor, Tensor>
{
    public Conv2d Fc1 { get; }
    public Conv2d Fc2 { get; }

    public SEModule(int channels, int reduction)
    {
        Fc1 = RegisterModule("fc1", new Conv2d(channels, channels / reduction, 1, bias: true));
        Fc2 = RegisterModule("fc2", new Conv2d(channels / reduction, channels, 1, bias: true));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var s = Functional.AdaptiveAvgPool2d(input, 1, 1);
        s = Fc2.Forward(Fc1.Forward(s).ReluInPlace()).Sigmoid();
        return scope.MoveOut(input * s);
    }
}
