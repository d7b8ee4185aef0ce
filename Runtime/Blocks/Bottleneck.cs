using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// The post-activation bottleneck shared by ResNet, ResNeXt, SE-ResNeXt and Big-Little Net:
/// 1x1 → 3x3 (stride, groups) → 1x1, optional squeeze-excitation after the last batch norm,
/// the shortcut added, then ReLU unless this is the last block of a Big branch.
/// </summary>
public sealed partial class Bottleneck : nn.Module<Tensor, Tensor>, IHasInferenceTwin<Bottleneck.Inference>
{
    [field: ComponentName(Name = "conv1")] public Conv2d Conv1 { get; }
    [field: ComponentName(Name = "bn1")] public BatchNorm2d Bn1 { get; }
    [field: ComponentName(Name = "conv2")] public Conv2d Conv2 { get; }
    [field: ComponentName(Name = "bn2")] public BatchNorm2d Bn2 { get; }
    [field: ComponentName(Name = "conv3")] public Conv2d Conv3 { get; }
    [field: ComponentName(Name = "bn3")] public BatchNorm2d Bn3 { get; }
    [field: ComponentName(Name = "downsample")] public Shortcut? Downsample { get; }
    [field: ComponentName(Name = "se_layer")] public SEModule? SeLayer { get; }
    public bool LastRelu { get; }

    /// <param name="downsample">The shortcut the network's rule chose for this block; null is the identity.</param>
    /// <param name="seReduction">The squeeze-excitation reduction; 0 leaves it out.</param>
    public Bottleneck(long inChannels, long midChannels, long outChannels, long stride = 1, long groups = 1,
        Shortcut? downsample = null, bool lastRelu = true, long seReduction = 0) : base(nameof(Bottleneck))
    {
        Conv1 = Layers.Conv1x1(inChannels, midChannels);
        Bn1 = Layers.BatchNorm(midChannels);
        Conv2 = Layers.Conv3x3(midChannels, midChannels, stride, groups);
        Bn2 = Layers.BatchNorm(midChannels);
        Conv3 = Layers.Conv1x1(midChannels, outChannels);
        Bn3 = Layers.BatchNorm(outChannels);
        Downsample = downsample;
        SeLayer = seReduction > 0 ? new SEModule(outChannels, seReduction) : null;
        LastRelu = lastRelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = BatchNormLayout.Normalize(Bn1, Conv1.call(input)).relu_();
        x = BatchNormLayout.Normalize(Bn2, Conv2.call(x)).relu_();
        x = BatchNormLayout.Normalize(Bn3, Conv3.call(x));
        if (SeLayer is not null) x = SeLayer.call(x);
        x = x.add_(Downsample is null ? input : Downsample.call(input));
        if (LastRelu) x = x.relu_();
        return x.MoveToOuterDisposeScope();
    }
}
