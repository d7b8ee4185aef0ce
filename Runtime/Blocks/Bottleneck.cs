using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// The post-activation bottleneck shared by ResNet, ResNeXt, SE-ResNeXt and Big-Little Net:
/// 1x1 → 3x3 (stride, groups) → 1x1, optional squeeze-excitation after the last batch norm,
/// the shortcut added, then ReLU unless this is the last block of a Big branch.
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    public Conv2d Conv1 { get; }
    public BatchNorm2d Bn1 { get; }
    public Conv2d Conv2 { get; }
    public BatchNorm2d Bn2 { get; }
    public Conv2d Conv3 { get; }
    public BatchNorm2d Bn3 { get; }
    public Sequential? Downsample { get; }
    public SEModule? SeLayer { get; }
    public bool LastRelu { get; }

    public Bottleneck(int inChannels, int midChannels, int outChannels, int stride = 1, int groups = 1,
        Sequential? downsample = null, bool lastRelu = true, int seReduction = 0)
    {
        Conv1 = RegisterModule("conv1", new Conv2d(inChannels, midChannels, 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(midChannels));
        Conv2 = RegisterModule("conv2", new Conv2d(midChannels, midChannels, 3, stride, 1, groups: groups, bias: false));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(midChannels));
        Conv3 = RegisterModule("conv3", new Conv2d(midChannels, outChannels, 1, bias: false));
        Bn3 = RegisterModule("bn3", new BatchNorm2d(outChannels));
        Downsample = RegisterModule("downsample", downsample);
        SeLayer = RegisterModule("se_layer", seReduction > 0 ? new SEModule(outChannels, seReduction) : null);
        LastRelu = lastRelu;
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var x = Bn1.Forward(Conv1.Forward(input)).ReluInPlace();
        x = Bn2.Forward(Conv2.Forward(x)).ReluInPlace();
        x = Bn3.Forward(Conv3.Forward(x));
        if (SeLayer is not null) x = SeLayer.Forward(x);
        var residual = Downsample is null ? input : Downsample.Forward(input);
        x = x.AddInPlace(residual);
        if (LastRelu) x.ReluInPlace();
        return scope.MoveOut(x);
    }
}
