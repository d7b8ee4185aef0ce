using System.Collections.Generic;
using System.Linq;

namespace Dsl.Generator.Naming;

/// <summary>
/// The names a generated model file binds: the file-level aliases its class body uses instead of fully
/// qualified names, and the members every model declares. A model class may not take any of them.
/// </summary>
public static class ReservedNames
{
    /// <summary>Alias and target of every type the generated code refers to, in the order they are written.</summary>
    public static readonly IReadOnlyList<(string Alias, string Target)> Aliases =
    [
        ("Augmentation", "global::Dsl.Runtime.Training.Augmentation"),
        ("Autocast", "global::Dsl.Runtime.Compute.Autocast"),
        ("BatchNorm2d", "global::TorchSharp.Modules.BatchNorm2d"),
        ("BatchNormLayout", "global::Dsl.Runtime.Blocks.BatchNormLayout"),
        ("BigLittleModule", "global::Dsl.Runtime.Blocks.BigLittleModule"),
        ("Bottleneck", "global::Dsl.Runtime.Blocks.Bottleneck"),
        ("BottleneckSequence", "global::Dsl.Runtime.Blocks.BlockSequence<global::Dsl.Runtime.Blocks.Bottleneck>"),
        ("ClassifierHead", "global::Dsl.Runtime.Inference.ClassifierHead"),
        ("ComponentName", "global::TorchSharp.Utils.ComponentNameAttribute"),
        ("Conv2d", "global::TorchSharp.Modules.Conv2d"),
        ("F", "global::TorchSharp.torch.nn.functional"),
        ("FusedConv", "global::Dsl.Runtime.Inference.FusedConv"),
        ("GeneratedCode", "global::System.CodeDom.Compiler.GeneratedCodeAttribute"),
        ("IDisposable", "global::System.IDisposable"),
        ("IHasInferenceForm", "global::Dsl.Runtime.Inference.IHasInferenceForm"),
        ("InferenceBottlenecks", "global::Dsl.Runtime.Blocks.BlockSequence<global::Dsl.Runtime.Blocks.Bottleneck.Inference>"),
        ("InferenceLayout", "global::Dsl.Runtime.Inference.InferenceLayout"),
        ("InferenceScaleBlocks", "global::Dsl.Runtime.Blocks.BlockSequence<global::Dsl.Runtime.Blocks.ScaleBlock.Inference>"),
        ("LayerSummary", "global::Dsl.Runtime.Models.LayerSummary"),
        ("Layers", "global::Dsl.Runtime.Blocks.Layers"),
        ("Linear", "global::TorchSharp.Modules.Linear"),
        ("MaxPool2d", "global::TorchSharp.Modules.MaxPool2d"),
        ("MemoryFormat", "global::Dsl.Runtime.Compute.MemoryFormat"),
        ("ModelInfo", "global::Dsl.Runtime.Models.ModelInfo"),
        ("Module", "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>"),
        ("Precision", "global::Dsl.Runtime.Compute.Precision"),
        ("ScaleBlock", "global::Dsl.Runtime.Blocks.ScaleBlock"),
        ("ScaleBlockSequence", "global::Dsl.Runtime.Blocks.BlockSequence<global::Dsl.Runtime.Blocks.ScaleBlock>"),
        ("ScaleBranch", "global::Dsl.Runtime.Blocks.ScaleBranch"),
        ("ScheduleKind", "global::Dsl.Runtime.Training.ScheduleKind"),
        ("Shortcut", "global::Dsl.Runtime.Blocks.Shortcut"),
        ("Tensor", "global::TorchSharp.torch.Tensor"),
        ("Torch", "global::TorchSharp.torch"),
        ("TorchRuntime", "global::Dsl.Runtime.Platform.TorchRuntime"),
        ("WeightInit", "global::Dsl.Runtime.Blocks.WeightInit"),
    ];

    /// <summary>The class whose extension methods the generated code calls (a sequence's <c>ForInference</c>).</summary>
    public const string StaticImport = "global::Dsl.Runtime.Blocks.BlockSequence";

    /// <summary>Member names every generated class may declare; a class may not share a name with its members.</summary>
    public static readonly IReadOnlyList<string> Members =
    [
        "CanonicalName", "Family", "BlockType", "Depth", "StageBlocks", "Widths", "Alpha", "Beta", "Cardinality", "BaseWidth",
        "SeReduction", "Classes", "InputChannels", "InputHeight", "InputWidth", "TrainableParameters", "MultiplyAdds", "OutputShape",
        "LayerSummaries", "CreateLayerSummaries", "Info", "Conv1", "Bn1", "BConv0", "BnB0", "LConv0", "BnL0", "LConv1", "BnL1", "LConv2", "BnL2", "BlInit",
        "BnBlInit", "Maxpool", "Layer1", "Layer2", "Layer3", "Layer4", "Fc",
        "ForInference", "Inference", "Layout",
        "Features", "FeatureMaps", "FeatureStages", "FeatureChannels", "FeatureStrides", "Trunk",
        "Stage1Channels", "Stage1Stride", "Stage2Channels", "Stage2Stride", "Stage3Channels", "Stage3Stride", "Stage4Channels", "Stage4Stride",
    ];

    /// <summary>Type names the generated code declares in the same namespace.</summary>
    public static readonly IReadOnlyList<string> Types = [Emit.CatalogEmitter.ClassName];

    public static bool IsTaken(string className) =>
        Types.Contains(className) || Members.Contains(className) || Aliases.Any(a => a.Alias == className);
}
