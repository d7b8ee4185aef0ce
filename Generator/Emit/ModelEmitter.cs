using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Description;
using static Dsl.Generator.Emit.Literals;

namespace Dsl.Generator.Emit;

/// <summary>
/// Writes one model class from its <see cref="NetworkDescription"/>: typed children registered under the
/// original state-dict names and in the original order, a Forward that follows the network diagram, and
/// the figures computed from the description. Every runtime type is written fully qualified, so a model
/// named like a runtime type cannot change what the code refers to.
/// </summary>
internal static class ModelEmitter
{
    private const string Runtime = "global::Dsl.Runtime.";
    private const string Nn = "global::Dsl.Runtime.Nn.";
    private const string Blocks = "global::Dsl.Runtime.Blocks.";
    private const string Tensor = Runtime + "Tensor";
    private const string Collections = "global::System.Collections.Generic.";

    /// <summary>Member names every generated class declares; a class may not share a name with its members.</summary>
    public static readonly IReadOnlyList<string> MemberNames =
    [
        "CanonicalName", "Family", "BlockType", "Depth", "StageBlocks", "Widths", "Alpha", "Beta", "Cardinality", "BaseWidth",
        "SeReduction", "Classes", "InputChannels", "InputHeight", "InputWidth", "TrainableParameters", "MultiplyAdds", "OutputShape",
        "LayerSummaries", "Info", "Conv1", "Bn1", "BConv0", "BnB0", "LConv0", "BnL0", "LConv1", "BnL1", "LConv2", "BnL2", "BlInit",
        "BnBlInit", "Layer1", "Layer2", "Layer3", "Layer4", "Fc", "Forward",
    ];

    public static string HintName(NetworkDescription network) => network.ClassName + ".g.cs";

    public static string Emit(NetworkDescription n)
    {
        var w = new CodeWriter().GeneratedFileHeader();
        w.Line("/// <summary>");
        w.Line("/// " + DocText(n.Name) + ": family " + n.Family + ", block " + n.Block + ", generated from " + DocText(n.SourceFile) + ".");
        w.Line("/// Input " + n.Input + ", " + Grouped(n.ParameterCount) + " parameters, " + Grouped(n.MultiplyAdds) + " multiply-adds.");
        w.Line("/// </summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Dsl.Generator\", \"1.0.0\")]");
        w.Open("public sealed partial class " + n.ClassName + " : " + Nn + "Module<" + Tensor + ", " + Tensor + ">");
        EmitConstants(w, n);
        w.Line();
        EmitProperties(w, n);
        w.Line();
        EmitConstructor(w, n);
        w.Line();
        EmitForward(w, n);
        w.Close();
        return w.ToString();
    }

    private static void EmitConstants(CodeWriter w, NetworkDescription n)
    {
        w.Line("public const string CanonicalName = " + String(n.Name) + ";");
        w.Line("public const string Family = " + String(n.Family) + ";");
        w.Line("public const string BlockType = " + String(n.Block) + ";");
        w.Line("/// <summary>The named depth, or 0 when the spec lists the blocks per stage.</summary>");
        w.Line("public const int Depth = " + Int(n.Depth) + ";");
        w.Line("public const int Alpha = " + Int(n.Alpha) + ";");
        w.Line("public const int Beta = " + Int(n.Beta) + ";");
        w.Line("public const int Cardinality = " + Int(n.Cardinality) + ";");
        w.Line("public const int BaseWidth = " + Int(n.BaseWidth) + ";");
        w.Line("public const int SeReduction = " + Int(n.SeReduction) + ";");
        w.Line("public const int Classes = " + Int(n.Classes) + ";");
        w.Line("public const int InputChannels = " + Int(n.Input.Channels) + ";");
        w.Line("public const int InputHeight = " + Int(n.Input.Height) + ";");
        w.Line("public const int InputWidth = " + Int(n.Input.Width) + ";");
        w.Line("/// <summary>Trainable parameters (batch-norm statistics excluded); named so it does not hide <c>Module.ParameterCount()</c>.</summary>");
        w.Line("public const long TrainableParameters = " + Long(n.ParameterCount) + ";");
        w.Line("/// <summary>Multiply-adds of the convolutions and the linear layer for one image at the declared input.</summary>");
        w.Line("public const long MultiplyAdds = " + Long(n.MultiplyAdds) + ";");
        w.Line();
        w.Line("public static " + Collections + "IReadOnlyList<int> StageBlocks { get; } = " + Ints(n.StageBlocks) + ";");
        w.Line("public static " + Collections + "IReadOnlyList<int> Widths { get; } = " + Ints(n.Widths) + ";");
        w.Line("public static " + Collections + "IReadOnlyList<long> OutputShape { get; } = " + Longs([1L, n.Classes]) + ";");
        w.Line();
        w.Line("public static " + Collections + "IReadOnlyList<global::Dsl.Definitions.LayerSummary> LayerSummaries { get; } =");
        w.Line("[");
        w.Indent();
        foreach (var row in n.Layers)
            w.Line("new global::Dsl.Definitions.LayerSummary(" + String(row.Name) + ", " + String(row.Kind) + ", " + Longs(row.OutputShape) + ", " +
                   Long(row.Parameters) + ", " + Long(row.MultiplyAdds) + "),");
        w.Outdent();
        w.Line("];");
        w.Line();
        w.Line("public static global::Dsl.Definitions.ModelInfo Info { get; } = new(CanonicalName, Family, BlockType, InputChannels, InputHeight,");
        w.Line("    InputWidth, Classes, TrainableParameters, MultiplyAdds, LayerSummaries, static () => new " + n.ClassName + "());");
    }

    private static void EmitProperties(CodeWriter w, NetworkDescription n)
    {
        foreach (var (property, type, _) in Children(n))
            w.Line("public " + type + " " + property + " { get; }");
    }

    /// <summary>The top-level children in registration (state-dict) order.</summary>
    private static IEnumerable<(string Property, string Type, string Key)> Children(NetworkDescription n)
    {
        yield return ("Conv1", Nn + "Conv2d", "conv1");
        yield return ("Bn1", Nn + "BatchNorm2d", "bn1");
        if (n.Stem.BigLittle)
        {
            yield return ("BConv0", Nn + "Conv2d", "b_conv0");
            yield return ("BnB0", Nn + "BatchNorm2d", "bn_b0");
            yield return ("LConv0", Nn + "Conv2d", "l_conv0");
            yield return ("BnL0", Nn + "BatchNorm2d", "bn_l0");
            yield return ("LConv1", Nn + "Conv2d", "l_conv1");
            yield return ("BnL1", Nn + "BatchNorm2d", "bn_l1");
            yield return ("LConv2", Nn + "Conv2d", "l_conv2");
            yield return ("BnL2", Nn + "BatchNorm2d", "bn_l2");
            yield return ("BlInit", Nn + "Conv2d", "bl_init");
            yield return ("BnBlInit", Nn + "BatchNorm2d", "bn_bl_init");
        }
        foreach (var stage in n.Stages)
        {
            var type = stage.Kind switch
            {
                StageKind.BigLittle => Blocks + "BigLittleModule",
                StageKind.Scale => Nn + "Sequential<" + Blocks + "ScaleBlock>",
                _ => Nn + "Sequential<" + Blocks + "Bottleneck>",
            };
            yield return (Property(stage.Name), type, stage.Name);
        }
        yield return ("Fc", Nn + "Linear", "fc");
    }

    private static string Property(string stageName) => "Layer" + stageName.Substring("layer".Length);

    private static void EmitConstructor(CodeWriter w, NetworkDescription n)
    {
        var stem = n.Stem;
        w.Open("public " + n.ClassName + "()");
        w.Line("Conv1 = RegisterModule(\"conv1\", " + Conv(n.Input.Channels, stem.Channels, stem.Kernel, stem.Stride, stem.Kernel / 2) + ");");
        w.Line("Bn1 = RegisterModule(\"bn1\", " + BatchNorm(stem.Channels) + ");");
        if (stem.BigLittle)
        {
            var stride = stem.Downsample ? 2 : 1;
            w.Line("BConv0 = RegisterModule(\"b_conv0\", " + Conv(stem.Channels, stem.Channels, 3, stride, 1) + ");");
            w.Line("BnB0 = RegisterModule(\"bn_b0\", " + BatchNorm(stem.Channels) + ");");
            w.Line("LConv0 = RegisterModule(\"l_conv0\", " + Conv(stem.Channels, stem.LittleChannels, 3, 1, 1) + ");");
            w.Line("BnL0 = RegisterModule(\"bn_l0\", " + BatchNorm(stem.LittleChannels) + ");");
            w.Line("LConv1 = RegisterModule(\"l_conv1\", " + Conv(stem.LittleChannels, stem.LittleChannels, 3, stride, 1) + ");");
            w.Line("BnL1 = RegisterModule(\"bn_l1\", " + BatchNorm(stem.LittleChannels) + ");");
            w.Line("LConv2 = RegisterModule(\"l_conv2\", " + Conv(stem.LittleChannels, stem.Channels, 1, 1, 0) + ");");
            w.Line("BnL2 = RegisterModule(\"bn_l2\", " + BatchNorm(stem.Channels) + ");");
            w.Line("BlInit = RegisterModule(\"bl_init\", " + Conv(stem.Channels, stem.Channels, 1, 1, 0) + ");");
            w.Line("BnBlInit = RegisterModule(\"bn_bl_init\", " + BatchNorm(stem.Channels) + ");");
        }
        foreach (var stage in n.Stages)
        {
            var property = Property(stage.Name);
            switch (stage.Kind)
            {
                case StageKind.BigLittle:
                    w.Line(property + " = RegisterModule(" + String(stage.Name) + ", new " + Blocks + "BigLittleModule(");
                    w.Indent();
                    w.Line("big:");
                    BottleneckList(w, stage.Name + ".big", stage.Big, ",");
                    w.Line("little:");
                    BottleneckList(w, stage.Name + ".little", stage.Little, ",");
                    w.Line("littleChannels: " + Int(stage.LittleChannels) + ",");
                    w.Line("outChannels: " + Int(stage.Output.Channels) + ",");
                    w.Line("fusion: " + Bottleneck(stage.Fusion[0]) + "));");
                    w.Outdent();
                    break;
                case StageKind.Scale:
                    w.Line(property + " = RegisterModule(" + String(stage.Name) + ", new " + Nn + "Sequential<" + Blocks + "ScaleBlock>(");
                    w.Line("[");
                    w.Indent();
                    foreach (var block in stage.ScaleBlocks)
                        w.Line("new " + Blocks + "ScaleBlock(" + Int(block.InChannels) + ", " + Int(block.Planes) + ", " + Int(block.OutChannels) + ", " +
                               Ints(block.Branches.Select(b => b.Channels)) + ", " + Ints(block.Branches.Select(b => b.Kernel)) +
                               ", stride: " + Int(block.Stride) + ", projection: " + Bool(block.Projection) + "),");
                    w.Outdent();
                    w.Line("]));");
                    break;
                default:
                    w.Line(property + " = RegisterModule(" + String(stage.Name) + ", new " + Nn + "Sequential<" + Blocks + "Bottleneck>(");
                    w.Indent();
                    BottleneckList(w, stage.Name, stage.Blocks, "));");
                    w.Outdent();
                    break;
            }
        }
        w.Line("Fc = RegisterModule(\"fc\", new " + Nn + "Linear(" + Int(n.HeadFeatures) + ", " + Int(n.Classes) + "));");
        w.Line(Blocks + "WeightInit.Apply(this, zeroInitLastBatchNorm: " + Bool(n.ZeroInitLastBatchNorm) + ");");
        w.Close();
    }

    /// <summary>A collection expression of blocks; runs of identical blocks become one repeated element.</summary>
    private static void BottleneckList(CodeWriter w, string name, IReadOnlyList<BottleneckDescription> blocks, string suffix)
    {
        w.Line("[");
        w.Indent();
        for (var i = 0; i < blocks.Count;)
        {
            var run = 1;
            while (i + run < blocks.Count && blocks[i + run] == blocks[i]) run++;
            if (run == 1)
                w.Line(Bottleneck(blocks[i]) + ",");
            else
                w.Line(".. global::System.Linq.Enumerable.Select(global::System.Linq.Enumerable.Range(" + Int(i) + ", " + Int(run) + "), _ => " +
                       Bottleneck(blocks[i]) + "), // " + name + "." + Int(i) + " to " + Int(i + run - 1));
            i += run;
        }
        w.Outdent();
        w.Line("]" + suffix);
    }

    private static string Bottleneck(BottleneckDescription b)
    {
        var args = new List<string> { Int(b.InChannels), Int(b.MidChannels), Int(b.OutChannels) };
        if (b.Stride != 1) args.Add("stride: " + Int(b.Stride));
        if (b.Groups != 1) args.Add("groups: " + Int(b.Groups));
        var shortcut = b.Shortcut switch
        {
            ShortcutKind.Identity => null,
            ShortcutKind.StridedProjection => "Projection",
            _ => "BigLittle",
        };
        if (shortcut is not null)
            args.Add("downsample: " + Blocks + "Shortcut." + shortcut + "(" + Int(b.InChannels) + ", " + Int(b.OutChannels) + ", " + Int(b.Stride) + ")");
        if (!b.LastRelu) args.Add("lastRelu: false");
        if (b.SeReduction > 0) args.Add("seReduction: " + Int(b.SeReduction));
        return "new " + Blocks + "Bottleneck(" + string.Join(", ", args) + ")";
    }

    private static string Conv(int inChannels, int outChannels, int kernel, int stride, int padding)
    {
        var args = Int(inChannels) + ", " + Int(outChannels) + ", " + Int(kernel);
        if (stride != 1) args += ", stride: " + Int(stride);
        if (padding != 0) args += ", padding: " + Int(padding);
        return "new " + Nn + "Conv2d(" + args + ", bias: false)";
    }

    private static string BatchNorm(int channels) => "new " + Nn + "BatchNorm2d(" + Int(channels) + ")";

    private static void EmitForward(CodeWriter w, NetworkDescription n)
    {
        var stem = n.Stem;
        w.Open("public override " + Tensor + " Forward(" + Tensor + " input)");
        w.Line("using var scope = new " + Runtime + "TensorScope();");
        w.Line("// conv1 " + stem.Kernel + "x" + stem.Kernel + "/" + stem.Stride + " -> " + stem.Conv1Output);
        w.Line("var x = Bn1.Forward(Conv1.Forward(input)).ReluInPlace();");
        if (stem.BigLittle)
        {
            var s = stem.Downsample ? "/2" : "/1";
            w.Line("// bL stem: Big 3x3" + s + " (no ReLU) + Little 3x3/1, 3x3" + s + ", 1x1 (no ReLU), added, ReLU, then 1x1 -> " + stem.Output);
            w.Line("var big = BnB0.Forward(BConv0.Forward(x));");
            w.Line("var little = BnL0.Forward(LConv0.Forward(x)).ReluInPlace();");
            w.Line("little = BnL1.Forward(LConv1.Forward(little)).ReluInPlace();");
            w.Line("little = BnL2.Forward(LConv2.Forward(little));");
            w.Line("x = big.AddInPlace(little).ReluInPlace();");
            w.Line("x = BnBlInit.Forward(BlInit.Forward(x)).ReluInPlace();");
        }
        if (stem.MaxPool)
        {
            w.Line("// max-pool 3x3/2 -> " + stem.Output);
            w.Line("x = " + Runtime + "Functional.MaxPool2d(x, 3, 2, 1);");
        }
        foreach (var stage in n.Stages)
        {
            var what = stage.Kind switch
            {
                StageKind.BigLittle => "bL-module (Big " + stage.Big.Count + ", Little " + stage.Little.Count + ", fusion stride " + stage.Fusion[0].Stride + ")",
                StageKind.Scale => stage.ScaleBlocks.Count + " SA blocks, stride " + stage.ScaleBlocks[0].Stride,
                _ => stage.Blocks.Count + " bottlenecks, stride " + stage.Blocks[0].Stride,
            };
            w.Line("// " + stage.Name + ": " + what + " -> " + stage.Output);
            w.Line("x = " + Property(stage.Name) + ".Forward(x);");
        }
        w.Line("// global average pool, flatten, fc -> [1, " + n.Classes + "] per image");
        w.Line("x = " + Runtime + "Functional.AdaptiveAvgPool2d(x, 1, 1).Flatten(1);");
        w.Line("return scope.MoveOut(Fc.Forward(x));");
        w.Close();
    }
}
