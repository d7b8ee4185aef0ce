using Dsl.Runtime.Inference;
using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// The Little branch's 1x1 expansion to the Big branch's width, with batch norm. Its children are named by position
/// (<c>little_e.0</c>, <c>little_e.1</c>), the state-dict keys of the original nn.Sequential.
/// </summary>
public sealed class LittleExpansion : nn.Module<Tensor, Tensor>
{
    [field: ComponentName(Name = "0")] public Conv2d Conv { get; }
    [field: ComponentName(Name = "1")] public BatchNorm2d Norm { get; }

    public LittleExpansion(long littleChannels, long outChannels) : base(nameof(LittleExpansion))
    {
        Conv = Layers.Conv1x1(littleChannels, outChannels);
        Norm = Layers.BatchNorm(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return BatchNormLayout.Normalize(Norm, Conv.call(input)).MoveToOuterDisposeScope();
    }

    /// <summary>The expansion with its batch norm folded in, no ReLU: the bL-module adds it into the upsampled Big branch.</summary>
    public FusedConv ForInference(InferenceLayout layout) => FusedConv.Fold(Conv, Norm, layout, relu: false);
}
