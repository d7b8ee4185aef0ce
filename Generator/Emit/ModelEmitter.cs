using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Dsl.Generator.Description;
using Dsl.Generator.Naming;
using Dsl.Generator.Specs;
using static Dsl.Generator.Emit.Literals;

namespace Dsl.Generator.Emit;

/// <summary>
/// Writes one model class from its <see cref="NetworkDescription"/>: a TorchSharp module whose typed children
/// carry the original state-dict names and are registered in the original order, a forward that follows the
/// network diagram, and the figures computed from the description. Types are reached through file-level
/// aliases: those of <see cref="ReservedNames.Aliases"/> the file uses (no model name may take any of them).
/// </summary>
internal static class ModelEmitter
{
    public static string HintName(NetworkDescription network) => network.ClassName + ".g.cs";

    public static string Emit(NetworkDescription n, string namespaceName)
    {
        var w = new CodeWriter();
        w.Line("/// <summary>");
        w.Line("/// " + DocText(n.Name) + ": family " + n.Family.Spelling() + ", block " + n.Block.Spelling() + ", generated from " + DocText(n.SourceFile) + ".");
        w.Line("/// Input " + n.Input + ", " + Grouped(n.ParameterCount) + " parameters, " + Grouped(n.MultiplyAdds) + " multiply-adds.");
        w.Line("/// </summary>");
        w.Line("[GeneratedCode(\"Dsl.Generator\", \"1.0.0\")]");
        w.Open("public sealed partial class " + n.ClassName + " : Module, IHasInferenceForm");
        EmitConstants(w, n);
        w.Line();
        EmitProperties(w, n);
        w.Line();
        w.Line("/// <summary>Loads libtorch first, so a system that cannot load it gets an error naming the cause.</summary>");
        w.Line("static " + n.ClassName + "() => TorchRuntime.EnsureLoaded();");
        w.Line();
        EmitConstructor(w, n);
        w.Line();
        EmitForward(w, n);
        w.Line();
        FeaturesEmitter.EmitClass(w, n);
        w.Line();
        InferenceEmitter.Emit(w, n);
        w.Close();
        var body = w.ToString();
        var aliases = ReservedNames.Aliases.Where(a => Uses(body, a.Alias)).ToList();
        // A sequence's ForInference is BlockSequence's extension method.
        var staticImport = n.Stages.Any(s => s.Kind != StageKind.BigLittle) ? ReservedNames.StaticImport : null;
        return new CodeWriter().GeneratedFileHeader(namespaceName, aliases, staticImport: staticImport) + body;
    }

    /// <summary>Whether <paramref name="body"/> names <paramref name="alias"/> as an identifier of its own (not a member after a dot).</summary>
    private static bool Uses(string body, string alias) =>
        Regex.IsMatch(body, @"(?<![\w.])" + Regex.Escape(alias) + @"(?!\w)");

    private static void EmitConstants(CodeWriter w, NetworkDescription n)
    {
        var bigLittle = n.Family == NetworkFamily.BigLittle;
        var grouped = n.Block != BlockKind.Bottleneck;
        w.Line("public const string CanonicalName = " + String(n.Name) + ";");
        w.Line("public const string Family = " + String(n.Family.Spelling()) + ";");
        w.Line("public const string BlockType = " + String(n.Block.Spelling()) + ";");
        if (n.Depth != 0) w.Line("public const int Depth = " + Int(n.Depth) + ";");
        if (bigLittle)
        {
            w.Line("/// <summary>The Little branch is 1/Alpha as wide as the Big branch.</summary>");
            w.Line("public const int Alpha = " + Int(n.Alpha) + ";");
            w.Line("/// <summary>The Little branch has about 1/Beta of the Big branch's blocks.</summary>");
            w.Line("public const int Beta = " + Int(n.Beta) + ";");
        }
        if (grouped)
        {
            w.Line("public const int Cardinality = " + Int(n.Cardinality) + ";");
            w.Line("public const int BaseWidth = " + Int(n.BaseWidth) + ";");
        }
        if (n.SeReduction > 0) w.Line("public const int SeReduction = " + Int(n.SeReduction) + ";");
        w.Line("public const int Classes = " + Int(n.Classes) + ";");
        w.Line("public const int InputChannels = " + Int(n.Input.Channels) + ";");
        w.Line("public const int InputHeight = " + Int(n.Input.Height) + ";");
        w.Line("public const int InputWidth = " + Int(n.Input.Width) + ";");
        w.Line("/// <summary>Trainable parameters (batch-norm statistics excluded).</summary>");
        w.Line("public const long TrainableParameters = " + Long(n.ParameterCount) + ";");
        w.Line("/// <summary>Multiply-adds of the convolutions and the linear layer for one image at the declared input.</summary>");
        w.Line("public const long MultiplyAdds = " + Long(n.MultiplyAdds) + ";");
        w.Line();
        w.Line("public static IReadOnlyList<int> StageBlocks { get; } = " + Ints(n.StageBlocks) + ";");
        w.Line("public static IReadOnlyList<int> Widths { get; } = " + Ints(n.Widths) + ";");
        w.Line("public static IReadOnlyList<long> OutputShape { get; } = " + Longs([1L, n.Classes]) + ";");
        w.Line();
        FeaturesEmitter.EmitConstants(w, n);
        w.Line();
        w.Line("/// <summary>Each layer's output shape, parameters and multiply-adds at the declared input.</summary>");
        w.Line("public static IReadOnlyList<LayerSummary> LayerSummaries { get; } = " + SummaryEmitter.FactoryName + "();");
        w.Line();
        var recipe = TrainingRecipe(n.Training).ToList();
        w.Wrapped("public static ModelInfo Info { get; } = new(",
            ["CanonicalName", "Family", "BlockType", "InputChannels", "InputHeight", "InputWidth", "Classes", "TrainableParameters",
                "MultiplyAdds", "LayerSummaries", "static () => new " + n.ClassName + "()"], recipe.Count == 0 ? ");" : ")");
        if (recipe.Count == 0) return;
        w.Line("{");
        w.Indent();
        w.Line("Training = new()");
        w.Line("{");
        w.Indent();
        foreach (var initializer in recipe) w.Line(initializer + ",");
        w.Outdent();
        w.Line("},");
        w.Outdent();
        w.Line("};");
    }

    /// <summary>The initializers of the spec's training recipe; the runtime's defaults stand for the rest.</summary>
    private static IEnumerable<string> TrainingRecipe(TrainingDescription t)
    {
        foreach (var value in t.Values)
        {
            var field = TrainingFields.Named(value.Key);
            yield return field.Member + " = " + (field.ChoiceType is { } type ? type + "." + value.Value : value.Value);
        }
    }

    private static void EmitProperties(CodeWriter w, NetworkDescription n)
    {
        foreach (var child in ModelChildren.Of(n))
            w.Line("[field: ComponentName(Name = " + String(child.Key) + ")] public " + child.ModelType + " " + child.Property + " { get; }");
    }

    private static void EmitConstructor(CodeWriter w, NetworkDescription n)
    {
        var stem = n.Stem;
        w.Open("public " + n.ClassName + "() : base(CanonicalName)");
        w.Line("Conv1 = " + Conv(n.Input.Channels, stem.Channels, stem.Kernel, stem.Stride) + ";");
        w.Line("Bn1 = " + BatchNorm(stem.Channels) + ";");
        if (stem.BigLittle)
        {
            var stride = stem.Downsample ? 2 : 1;
            w.Line("BConv0 = " + Conv(stem.Channels, stem.Channels, 3, stride) + ";");
            w.Line("BnB0 = " + BatchNorm(stem.Channels) + ";");
            w.Line("LConv0 = " + Conv(stem.Channels, stem.LittleChannels, 3, 1) + ";");
            w.Line("BnL0 = " + BatchNorm(stem.LittleChannels) + ";");
            w.Line("LConv1 = " + Conv(stem.LittleChannels, stem.LittleChannels, 3, stride) + ";");
            w.Line("BnL1 = " + BatchNorm(stem.LittleChannels) + ";");
            w.Line("LConv2 = " + Conv(stem.LittleChannels, stem.Channels, 1, 1) + ";");
            w.Line("BnL2 = " + BatchNorm(stem.Channels) + ";");
            w.Line("BlInit = " + Conv(stem.Channels, stem.Channels, 1, 1) + ";");
            w.Line("BnBlInit = " + BatchNorm(stem.Channels) + ";");
        }
        if (stem.MaxPool) w.Line("Maxpool = Layers.MaxPool();");
        foreach (var stage in n.Stages)
        {
            var property = ModelChildren.Property(stage.Name);
            switch (stage.Kind)
            {
                case StageKind.BigLittle:
                    w.Line(property + " = new BigLittleModule(");
                    w.Indent();
                    w.Line("big:");
                    BlockList(w, stage.Big.Select(Bottleneck).ToList(), ",");
                    w.Line("little:");
                    BlockList(w, stage.Little.Select(Bottleneck).ToList(), ",");
                    w.Line("littleChannels: " + Int(stage.LittleChannels) + ",");
                    w.Line("outChannels: " + Int(stage.Output.Channels) + ",");
                    var fusion = Bottleneck(stage.Fusion[0]);
                    w.Wrapped("fusion: " + fusion.Opening, fusion.Arguments, "));");
                    w.Outdent();
                    break;
                case StageKind.Scale:
                    Sequence(w, property + " = new ScaleBlockSequence(", stage.ScaleBlocks.Select(ScaleBlock).ToList());
                    break;
                default:
                    Sequence(w, property + " = new BottleneckSequence(", stage.Blocks.Select(Bottleneck).ToList());
                    break;
            }
        }
        w.Line("Fc = Torch.nn.Linear(" + Int(n.HeadFeatures) + ", " + Int(n.Classes) + ");");
        w.Line("RegisterComponents();");
        w.Line("WeightInit.Apply(this, zeroInitLastBatchNorm: " + Bool(n.ZeroInitLastBatchNorm) + ");");
        w.Close();
    }

    /// <summary>A collection expression of blocks, one per line.</summary>
    private static void BlockList(CodeWriter w, IReadOnlyList<Call> blocks, string suffix)
    {
        w.Line("[");
        w.Indent();
        foreach (var block in blocks) w.Wrapped(block.Opening, block.Arguments, "),");
        w.Outdent();
        w.Line("]" + suffix);
    }

    /// <summary>A constructor call with one block per line as its arguments.</summary>
    private static void Sequence(CodeWriter w, string opening, IReadOnlyList<Call> blocks)
    {
        w.Line(opening);
        w.Indent();
        for (var i = 0; i < blocks.Count; i++) w.Wrapped(blocks[i].Opening, blocks[i].Arguments, i < blocks.Count - 1 ? ")," : "));");
        w.Outdent();
    }

    /// <summary>A constructor call not yet closed: its opening and its arguments, which the writer wraps.</summary>
    private sealed record Call(string Opening, IReadOnlyList<string> Arguments);

    private static Call Bottleneck(BottleneckDescription b)
    {
        var args = new List<string> { "inChannels: " + Int(b.InChannels), "midChannels: " + Int(b.MidChannels), "outChannels: " + Int(b.OutChannels) };
        if (b.Stride != 1) args.Add("stride: " + Int(b.Stride));
        if (b.Groups != 1) args.Add("groups: " + Int(b.Groups));
        if (Shortcut(b.Shortcut, b.InChannels, b.OutChannels, b.Stride) is { } shortcut) args.Add("downsample: " + shortcut);
        if (!b.LastRelu) args.Add("lastRelu: false");
        if (b.SeReduction > 0) args.Add("seReduction: " + Int(b.SeReduction));
        return new("new Bottleneck(", args);
    }

    /// <summary>An SA block; its branches by name, the kernel spelled out only where it is not the default 3.</summary>
    private static Call ScaleBlock(ScaleBlockDescription b)
    {
        var args = new List<string> { "inChannels: " + Int(b.InChannels), "planes: " + Int(b.Planes), "outChannels: " + Int(b.OutChannels) };
        if (b.Stride != 1) args.Add("stride: " + Int(b.Stride));
        if (b.Projection) args.Add("downsample: " + Shortcut(ShortcutKind.Projection, b.InChannels, b.OutChannels, 1));
        var branches = b.Branches.Select(r =>
            "new(scale: " + Int(r.Scale) + ", channels: " + Int(r.Channels) + (r.Kernel != 3 ? ", kernel: " + Int(r.Kernel) : "") + ")").ToList();
        branches[0] = "branches: [" + branches[0];
        branches[branches.Count - 1] += "]";
        args.AddRange(branches);
        return new("new ScaleBlock(", args);
    }

    /// <summary>The factory call that builds the shortcut the description chose, or null for the identity.</summary>
    private static string? Shortcut(ShortcutKind kind, int inChannels, int outChannels, int stride) => kind switch
    {
        ShortcutKind.AvgPool => "Shortcut.AvgPool()",
        ShortcutKind.AvgPoolProjection => "Shortcut.AvgPoolProjection(" + Int(inChannels) + ", " + Int(outChannels) + ")",
        ShortcutKind.Projection => "Shortcut.Projection(" + Int(inChannels) + ", " + Int(outChannels) + ")",
        ShortcutKind.StridedProjection => "Shortcut.Projection(" + Int(inChannels) + ", " + Int(outChannels) + ", stride: " + Int(stride) + ")",
        _ => null,
    };

    private static string Conv(int inChannels, int outChannels, int kernel, int stride)
    {
        var args = "inChannels: " + Int(inChannels) + ", outChannels: " + Int(outChannels);
        var call = kernel switch
        {
            1 => "Layers.Conv1x1(" + args,
            3 => "Layers.Conv3x3(" + args,
            _ => "Layers.Conv(" + args + ", kernel: " + Int(kernel),
        };
        return call + (stride != 1 ? ", stride: " + Int(stride) : "") + ")";
    }

    private static string BatchNorm(int channels) => "Layers.BatchNorm(" + Int(channels) + ")";

    private static void EmitForward(CodeWriter w, NetworkDescription n)
    {
        w.Open("public override Tensor forward(Tensor input)");
        w.Line("using var scope = Torch.NewDisposeScope();");
        w.Line("var x = " + FeaturesEmitter.LastStage(n) + ";");
        w.Line("// global average pool, flatten, fc -> [N, " + n.Classes + "]");
        w.Line("x = F.adaptive_avg_pool2d(x, 1).flatten(1);");
        w.Line("return Fc.call(x).MoveToOuterDisposeScope();");
        w.Close();
        w.Line();
        FeaturesEmitter.EmitMethod(w, n,
            [
                "The stage outputs forward computes for <paramref name=\"input\"/>, in the same mode (train or eval) and with",
                "autograd as in forward. The caller owns them: dispose the result, or let an enclosing dispose scope free them.",
            ],
            ["using var scope = Torch.NewDisposeScope();"], convert: null);
        w.Line();
        EmitTrunk(w, n);
    }

    /// <summary>The stem and every stage, as the network's diagram draws them; its tensors join the caller's dispose scope.</summary>
    private static void EmitTrunk(CodeWriter w, NetworkDescription n)
    {
        var stem = n.Stem;
        FeaturesEmitter.OpenTrunk(w, n, "The stem, then every stage");
        w.Line("// conv1 " + stem.Kernel + "x" + stem.Kernel + "/" + stem.Stride + " -> " + stem.Conv1Output);
        w.Line("var x = BatchNormLayout.Normalize(Bn1, Autocast.Stem(Conv1, input)).relu_();");
        if (stem.BigLittle)
        {
            var s = stem.Downsample ? "/2" : "/1";
            w.Line("// bL stem: Big 3x3" + s + " (no ReLU) + Little 3x3/1, 3x3" + s + ", 1x1 (no ReLU), added, ReLU, then 1x1 -> " + stem.Output);
            w.Line("var big = BatchNormLayout.Normalize(BnB0, BConv0.call(x));");
            w.Line("var little = BatchNormLayout.Normalize(BnL0, LConv0.call(x)).relu_();");
            w.Line("little = BatchNormLayout.Normalize(BnL1, LConv1.call(little)).relu_();");
            w.Line("little = BatchNormLayout.Normalize(BnL2, LConv2.call(little));");
            w.Line("x = big.add_(little).relu_();");
            w.Line("x = BatchNormLayout.Normalize(BnBlInit, BlInit.call(x)).relu_();");
        }
        if (stem.MaxPool)
        {
            w.Line("// max-pool 3x3/2 -> " + stem.Output);
            w.Line("x = Maxpool.call(x);");
        }
        for (var i = 0; i < n.Stages.Count; i++)
        {
            var stage = n.Stages[i];
            var what = stage.Kind switch
            {
                StageKind.BigLittle => "bL-module (Big " + stage.Big.Count + ", Little " + stage.Little.Count + ", fusion stride " + stage.Fusion[0].Stride + ")",
                StageKind.Scale => stage.ScaleBlocks.Count + " SA blocks, stride " + stage.ScaleBlocks[0].Stride,
                _ => stage.Blocks.Count + " bottlenecks, stride " + stage.Blocks[0].Stride,
            };
            w.Line("// " + stage.Name + ": " + what + " -> " + stage.Output);
            w.Line(FeaturesEmitter.StageCall(stage, i));
        }
        w.Line(FeaturesEmitter.TrunkReturn(n));
        w.Close();
    }
}
