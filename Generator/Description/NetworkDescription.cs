using Dsl.Generator.Infrastructure;

namespace Dsl.Generator.Description;

/// <summary>Channels and spatial size of one feature map (batch of one).</summary>
public readonly record struct FeatureShape(int Channels, int Height, int Width)
{
    public override string ToString() => Channels + "x" + Height + "x" + Width;
}

/// <summary>How a bottleneck's shortcut is built.</summary>
public enum ShortcutKind
{
    /// <summary>The input itself.</summary>
    Identity,

    /// <summary>Big-Little Net: 3x3/2 average pool (padding counted) only.</summary>
    AvgPool,

    /// <summary>Big-Little Net: 3x3/2 average pool, then a 1x1 projection and batch norm.</summary>
    AvgPoolProjection,

    /// <summary>A stride-1 1x1 projection and batch norm (Big-Little Net, ScaleNet).</summary>
    Projection,

    /// <summary>torchvision: a strided 1x1 projection and batch norm.</summary>
    StridedProjection,
}

/// <summary>A post-activation bottleneck (ResNet, ResNeXt, SE-ResNeXt, Big-Little Net).</summary>
public sealed record BottleneckDescription(int InChannels, int MidChannels, int OutChannels, int Stride, int Groups,
    ShortcutKind Shortcut, bool LastRelu, int SeReduction, FeatureShape Input, FeatureShape Output);

/// <summary>One branch of a ScaleNet block: max-pool by Scale, convolve (0 channels: absent); the runtime upsamples back.</summary>
public sealed record ScaleBranchDescription(int Scale, int Channels, int Kernel);

/// <summary>A ScaleNet SA block; Stride is a max-pool at the block input.</summary>
public sealed record ScaleBlockDescription(int InChannels, int Planes, int OutChannels, int Stride, bool Projection,
    EquatableArray<ScaleBranchDescription> Branches, FeatureShape Input, FeatureShape Output);

/// <summary>What a stage is made of.</summary>
public enum StageKind
{
    /// <summary>A bL-module: Big branch, Little branch, little_e projection, fusion block.</summary>
    BigLittle,

    /// <summary>A plain sequence of bottlenecks.</summary>
    Bottlenecks,

    /// <summary>A sequence of ScaleNet SA blocks.</summary>
    Scale,
}

/// <summary>
/// One stage ("layer1".."layer4"). For bL-modules Big, Little and Fusion are filled and LittleChannels is
/// the Little branch width; otherwise Blocks or ScaleBlocks hold the stage.
/// </summary>
public sealed record StageDescription(string Name, StageKind Kind, EquatableArray<BottleneckDescription> Blocks,
    EquatableArray<BottleneckDescription> Big, EquatableArray<BottleneckDescription> Little, int LittleChannels,
    EquatableArray<BottleneckDescription> Fusion, EquatableArray<ScaleBlockDescription> ScaleBlocks,
    FeatureShape Input, FeatureShape Output);

/// <summary>
/// The stem: conv1 (Kernel/Stride, padding Kernel/2) with BN and ReLU, then either the two-branch bL stem
/// (BigLittle; its 3x3 convs stride 2 when Downsample) or an optional 3x3/2 max-pool.
/// </summary>
public sealed record StemDescription(int Channels, int Kernel, int Stride, bool MaxPool, bool BigLittle, bool Downsample,
    int LittleChannels, FeatureShape Conv1Output, FeatureShape Output);

/// <summary>
/// One map that Features returns: the output of stage <paramref name="Stage"/> (layer1..layer4 are stages 1..4), its
/// stride (the product of every stride from the input to it, so one of its pixels spans Stride input pixels per side)
/// and its shape at the declared input.
/// </summary>
public sealed record FeatureDescription(int Stage, int Stride, FeatureShape Shape)
{
    /// <summary>The name of the map in the generated code: Stage1..Stage4.</summary>
    public string Name => "Stage" + Stage;

    /// <summary>The state-dict name of the stage that produces it.</summary>
    public string Layer => "layer" + Stage;
}

/// <summary>One row of the layer table printed by a summary: a module, its output shape and its cost.</summary>
public sealed record LayerRow(string Name, string Kind, EquatableArray<long> OutputShape, long Parameters, long MultiplyAdds);

/// <summary>
/// A network fully expanded from its spec: every block with its channels, strides, kernels and shapes at the
/// declared input. The emitter writes code from this alone.
/// </summary>
public sealed record NetworkDescription(
    string Name,
    string ClassName,
    NetworkFamily Family,
    BlockKind Block,
    string SourceFile,
    int Depth,
    EquatableArray<int> StageBlocks,
    int Alpha,
    int Beta,
    int Cardinality,
    int BaseWidth,
    int SeReduction,
    int Classes,
    FeatureShape Input,
    EquatableArray<int> Widths,
    bool ZeroInitLastBatchNorm,
    StemDescription Stem,
    EquatableArray<StageDescription> Stages,
    EquatableArray<FeatureDescription> Features,
    int HeadFeatures,
    EquatableArray<LayerRow> Layers,
    long ParameterCount,
    long MultiplyAdds,
    TrainingDescription Training);
