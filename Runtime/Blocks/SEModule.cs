using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>Squeeze-and-excitation: global average, 1x1 conv down, ReLU, 1x1 conv up, sigmoid, rescale.</summary>
public sealed partial class SEModule : nn.Module<Tensor, Tensor>, IHasInferenceTwin<SEModule.Inference>
{
    [field: ComponentName(Name = "fc1")] public Conv2d Fc1 { get; }
    [field: ComponentName(Name = "fc2")] public Conv2d Fc2 { get; }

    public SEModule(long channels, long reduction) : base(nameof(SEModule))
    {
        Fc1 = nn.Conv2d(channels, channels / reduction, kernel_size: 1);
        Fc2 = nn.Conv2d(channels / reduction, channels, kernel_size: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var s = nn.functional.adaptive_avg_pool2d(input, 1);
        s = Fc2.call(Fc1.call(s).relu_()).sigmoid_();
        return (input * s).MoveToOuterDisposeScope();
    }
}
