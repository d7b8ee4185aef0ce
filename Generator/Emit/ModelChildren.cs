using System.Collections.Generic;
using Dsl.Generator.Description;

namespace Dsl.Generator.Emit;

/// <summary>
/// One top-level child of a model: its property, its state-dict key, its type in the model and, where it has one, its
/// type in the inference form and how that is built from the model (<c>model</c>, <c>layout</c>). A batch norm has
/// none: it is folded into the convolution before it.
/// </summary>
internal sealed record ModelChild(string Property, string Key, string ModelType, string? InferenceType = null, string? InferenceBuild = null);

/// <summary>The one table of a model's top-level children, which both the model and its inference form are written from.</summary>
internal static class ModelChildren
{
    /// <summary>The children in registration (state-dict) order.</summary>
    public static IEnumerable<ModelChild> Of(NetworkDescription n)
    {
        foreach (var child in ConvWithNorm("Conv1", "conv1", "Bn1", "bn1", relu: true)) yield return child;
        // The bL stem is written inline rather than as a submodule: the original state-dict keys are flat (b_conv0, bn_l1).
        if (n.Stem.BigLittle)
        {
            foreach (var child in ConvWithNorm("BConv0", "b_conv0", "BnB0", "bn_b0", relu: false)) yield return child;
            foreach (var child in ConvWithNorm("LConv0", "l_conv0", "BnL0", "bn_l0", relu: true)) yield return child;
            foreach (var child in ConvWithNorm("LConv1", "l_conv1", "BnL1", "bn_l1", relu: true)) yield return child;
            foreach (var child in ConvWithNorm("LConv2", "l_conv2", "BnL2", "bn_l2", relu: false)) yield return child;
            foreach (var child in ConvWithNorm("BlInit", "bl_init", "BnBlInit", "bn_bl_init", relu: true)) yield return child;
        }
        // Parameter-free, so not in the state dict; a child, so the inference form's reader (the ONNX export) sees it.
        if (n.Stem.MaxPool) yield return new("Maxpool", "maxpool", "MaxPool2d", "MaxPool2d", "Layers.MaxPool()");
        foreach (var stage in n.Stages)
        {
            var (modelType, inferenceType) = stage.Kind switch
            {
                StageKind.BigLittle => ("BigLittleModule", "BigLittleModule.Inference"),
                StageKind.Scale => ("ScaleBlockSequence", "InferenceScaleBlocks"),
                _ => ("BottleneckSequence", "InferenceBottlenecks"),
            };
            var property = Property(stage.Name);
            yield return new(property, stage.Name, modelType, inferenceType, "model." + property + ".ForInference(layout)");
        }
        yield return new("Fc", "fc", "Linear", "ClassifierHead", "new ClassifierHead(model.Fc)");
    }

    internal static string Property(string stageName) => "Layer" + stageName.Substring("layer".Length);

    private static IEnumerable<ModelChild> ConvWithNorm(string conv, string convKey, string norm, string normKey, bool relu)
    {
        yield return new(conv, convKey, "Conv2d", "FusedConv",
            "FusedConv.Fold(model." + conv + ", model." + norm + ", layout, relu: " + Literals.Bool(relu) + ")");
        yield return new(norm, normKey, "BatchNorm2d");
    }
}
