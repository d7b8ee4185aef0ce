using Dsl.Runtime.Inference;
using ShortcutForm = Dsl.Runtime.Blocks.Shortcut.Inference;
using SqueezeExcitationForm = Dsl.Runtime.Blocks.SEModule.Inference;

namespace Dsl.Runtime.Onnx;

/// <summary>The inference form's layers as ONNX nodes: each computes what the layer's forward does.</summary>
internal static class OnnxLayers
{
    /// <summary>A <see cref="FusedConv"/>'s forward: the convolution, then its ReLU where it has one.</summary>
    public static OnnxValue Conv(this OnnxOps ops, string path, FusedConv conv, OnnxValue x)
    {
        var y = ConvOnly(ops, path, conv, x);
        return conv.Relu ? ops.Relu(path + ".relu", y) : y;
    }

    /// <summary><see cref="FusedConv.AddInto"/>: <paramref name="residual"/> plus the convolution of <paramref name="x"/>, then a ReLU.</summary>
    public static OnnxValue AddInto(this OnnxOps ops, string path, FusedConv conv, OnnxValue residual, OnnxValue x, string sumPath)
    {
        var y = ConvOnly(ops, path, conv, x);
        return ops.Relu(sumPath + ".relu", ops.Add(sumPath, residual, y));
    }

    /// <summary>A <see cref="ShortcutForm"/>: its average pool, its projection, or the pool then the projection.</summary>
    public static OnnxValue Shortcut(this OnnxOps ops, string path, ShortcutForm shortcut, OnnxValue x)
    {
        if (shortcut.Pool is { } pool) x = ops.AveragePool(path + ".pool", x, pool);
        return shortcut.Projection is { } projection ? Conv(ops, path + ".projection", projection, x) : x;
    }

    /// <summary>A <see cref="SqueezeExcitationForm"/>: the input scaled by the sigmoid of two 1x1 convolutions of its mean.</summary>
    public static OnnxValue SqueezeExcitation(this OnnxOps ops, string path, SqueezeExcitationForm se, OnnxValue x)
    {
        var squeezed = ops.GlobalAveragePool(path + ".pool", x);
        var s = ops.Sigmoid(path + ".sigmoid", Conv(ops, path + ".fc2", se.Fc2, Conv(ops, path + ".fc1", se.Fc1, squeezed)));
        if (s.Channels != x.Channels) throw new OnnxExportException($"{path}: the excitation has {s.Channels} channels for {x}");
        return ops.Mul(path + ".scale", x, s);
    }

    /// <summary>A <see cref="ClassifierHead"/>: global average pool, flatten, fully connected.</summary>
    public static string Classifier(this OnnxOps ops, string path, ClassifierHead head, OnnxValue x, string outputName)
    {
        var (weight, bias) = FusedFormReader.WeightAndBias(head, path);
        if (weight.shape[1] != x.Channels) throw new OnnxExportException($"{path}: the classifier takes {weight.shape[1]} features but is given {x}");
        var pooled = ops.GlobalAveragePool(path + ".pool", x);
        var flat = ops.Graph.Node("Flatten", path + ".flatten", [pooled.Name], OnnxGraph.Int("axis", 1));
        var inputs = new List<string> { flat, ops.Graph.Initializer(path + ".weight", weight) };
        if (bias is not null) inputs.Add(ops.Graph.Initializer(path + ".bias", bias));
        var gemm = ops.Graph.Node("Gemm", path, inputs, OnnxGraph.Int("transB", 1));
        return ops.Graph.Node("Identity", outputName, [gemm]);
    }

    private static OnnxValue ConvOnly(OnnxOps ops, string path, FusedConv conv, OnnxValue x)
    {
        var (weight, bias) = FusedFormReader.WeightAndBias(conv, path);
        return ops.Conv(path, x, weight, bias, conv.Geometry);
    }
}
