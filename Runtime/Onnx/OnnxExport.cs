using Dsl.Runtime.Blocks;
using Dsl.Runtime.Checkpoints;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;
using Google.Protobuf;
using Onnx;
using BottleneckForm = Dsl.Runtime.Blocks.Bottleneck.Inference;
using BigLittleForm = Dsl.Runtime.Blocks.BigLittleModule.Inference;
using ScaleBlockForm = Dsl.Runtime.Blocks.ScaleBlock.Inference;
using MaxPool2d = TorchSharp.Modules.MaxPool2d;

namespace Dsl.Runtime.Onnx;

/// <summary>
/// ONNX export of a generated model: the graph of its float32 NCHW inference form (batch norms folded into the
/// convolutions), built from the form's typed children rather than traced, so each node is named by the state-dict
/// path of the layer it computes (<c>layer1.big.0.conv1</c>, <c>layer1.big.0.conv1.relu</c>) and a reader can match
/// it to the spec. Input <c>input</c> [batch, C, H, W] float32, output <c>logits</c> [batch, classes] float32.
/// The protobuf messages are OnnxSharp's (generated from onnx.proto, IR up to 10), over Google.Protobuf.
/// </summary>
public static class OnnxExport
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    private static readonly string[] BigLittleStem = ["b_conv0", "l_conv0", "l_conv1", "l_conv2", "bl_init"];

    /// <summary>Writes <paramref name="model"/>'s graph to <paramref name="path"/> atomically (a failed write leaves any earlier file).</summary>
    public static OnnxExportResult Save(nn.Module model, string path, OnnxExportOptions? options = null)
    {
        var (proto, result) = Build(model, options);
        AtomicFile.Write(path, proto.WriteTo);
        return result with { Bytes = new FileInfo(path).Length };
    }

    /// <summary>The graph of <paramref name="model"/> (any generated model) as it stands now, in eval semantics.</summary>
    public static (ModelProto Model, OnnxExportResult Result) Build(nn.Module model, OnnxExportOptions? options = null)
    {
        options ??= new();
        var opset = OnnxOpset.Resolve(options.Opset);
        var info = InfoOf(model);
        if (model is not IHasInferenceForm owner)
            throw new OnnxExportException($"{info.Name}: the model has no inference form to export");
        using var scope = NewDisposeScope();
        using var form = owner.ForInference(Precision.Float32, MemoryFormat.Nchw);
        var graph = new OnnxGraph(info.Name);
        var ops = new OnnxOps(graph);
        var children = form.named_children().ToDictionary(c => c.name, c => c.module);
        var conv1 = Child<FusedConv>(children, "conv1", info.Name);
        var (weight, _) = FusedFormReader.WeightAndBias(conv1, "conv1");
        var input = new OnnxValue(InputName, weight.shape[1], options.Height ?? info.InputHeight, options.Width ?? info.InputWidth);
        graph.Input(input.Name, input.Channels, input.Height, input.Width);
        var x = Stem(ops, children, info, conv1, input);
        var stages = new Dictionary<string, OnnxValue>();
        foreach (var (name, module) in form.named_children())
        {
            if (name is "conv1" or "maxpool" or "fc" || BigLittleStem.Contains(name)) continue;
            x = stages[name] = Stage(ops, name, module, x);
        }
        var head = Child<ClassifierHead>(children, "fc", info.Name);
        ops.Classifier("fc", head, x, OutputName);
        var classes = FusedFormReader.WeightAndBias(head, "fc").Weight.shape[0];
        graph.Output(OutputName, classes);
        foreach (var stage in (options.Features ?? []).Distinct().Order())
            FeatureOutput(graph, stages, stage, info.Name);
        var proto = new ModelProto
        {
            IrVersion = OnnxOpset.IrVersion,
            ProducerName = "Dsl",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"{info.Name}: float32 inference form, batch norms folded",
            Graph = graph.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return (proto, new OnnxExportResult(info.Name, opset, input.Channels, input.Height, input.Width, classes,
            graph.NodeCount, graph.Proto.Initializer.Count, proto.CalculateSize()));
    }

    /// <summary>conv1, then the bL stem where the model has one, then the max pool where it has one.</summary>
    private static OnnxValue Stem(OnnxOps ops, Dictionary<string, nn.Module> children, ModelInfo info, FusedConv conv1, OnnxValue input)
    {
        var x = ops.Conv("conv1", conv1, input);
        if (children.ContainsKey("b_conv0"))
        {
            var big = ops.Conv("b_conv0", Child<FusedConv>(children, "b_conv0", info.Name), x);
            var little = ops.Conv("l_conv1", Child<FusedConv>(children, "l_conv1", info.Name),
                ops.Conv("l_conv0", Child<FusedConv>(children, "l_conv0", info.Name), x));
            var merged = ops.AddInto("l_conv2", Child<FusedConv>(children, "l_conv2", info.Name), big, little, "stem.merge");
            x = ops.Conv("bl_init", Child<FusedConv>(children, "bl_init", info.Name), merged);
        }
        if (children.TryGetValue("maxpool", out var module))
        {
            var pool = module as MaxPool2d ?? throw new OnnxExportException($"{info.Name}: maxpool is a {module.GetType().Name}, not a MaxPool2d");
            x = ops.MaxPool("maxpool", x, Square(pool.kernel_size, "kernel", info.Name), Square(pool.stride ?? pool.kernel_size, "stride", info.Name),
                Square(pool.padding ?? [0], "padding", info.Name));
        }
        return x;
    }

    /// <summary>Stage k's output (layer{k}) as the graph output stage{k}, through an Identity so the output has its own name.</summary>
    private static void FeatureOutput(OnnxGraph graph, Dictionary<string, OnnxValue> stages, int stage, string model)
    {
        if (!stages.TryGetValue("layer" + stage, out var value))
            throw new OnnxExportException($"{model}: there is no stage {stage} to export as a feature map (its stages are layer1 to layer{stages.Count})");
        var name = graph.Node("Identity", FeatureOutputName(stage), [value.Name]);
        graph.Output(name, value.Channels, value.Height, value.Width);
    }

    /// <summary>The graph output that holds stage <paramref name="stage"/>'s feature map.</summary>
    public static string FeatureOutputName(int stage) => "stage" + stage;

    /// <summary>A pool's side that is the same along both axes (the one ONNX value written for both).</summary>
    private static long Square(long[] values, string what, string model) =>
        values.Length == 1 || values.Length == 2 && values[0] == values[1]
            ? values[0]
            : throw new OnnxExportException($"{model}: maxpool's {what} [{string.Join(", ", values)}] differs between height and width");

    private static OnnxValue Stage(OnnxOps ops, string name, nn.Module module, OnnxValue x) => module switch
    {
        BigLittleForm bigLittle => ops.BigLittle(name, bigLittle, x),
        BlockSequence<BottleneckForm> blocks => ops.Sequence(name, blocks, x, OnnxBlocks.Bottleneck),
        BlockSequence<ScaleBlockForm> blocks => ops.Sequence(name, blocks, x, OnnxBlocks.ScaleBlock),
        _ => throw new OnnxExportException($"{name}: the exporter does not know the stage kind {module.GetType().Name}"),
    };

    private static T Child<T>(Dictionary<string, nn.Module> children, string name, string model) where T : nn.Module =>
        children.TryGetValue(name, out var module)
            ? module as T ?? throw new OnnxExportException($"{model}: {name} is a {module.GetType().Name}, not the {typeof(T).Name} the exporter expects")
            : throw new OnnxExportException($"{model}: the inference form has no {name}");

    /// <summary>
    /// The generated model's <see cref="ModelInfo"/>, from the catalog of its own assembly under the module's name (a
    /// generated model is named by its canonical name): its name and declared input.
    /// </summary>
    private static ModelInfo InfoOf(nn.Module model)
    {
        ModelCatalog catalog;
        try
        {
            catalog = ModelCatalog.Of(model.GetType().Assembly);
        }
        catch (ArgumentException)
        {
            throw new OnnxExportException($"{model.GetType().Name} is not a generated model (its assembly has no generated models); only generated models are exported");
        }
        return catalog.Find(model.GetName()) is { } info && info.Name == model.GetName()
            ? info
            : throw new OnnxExportException($"{model.GetType().Name} is not a generated model (its assembly has no model named '{model.GetName()}'); only generated models are exported");
    }
}
