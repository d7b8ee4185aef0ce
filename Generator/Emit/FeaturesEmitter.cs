using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Description;
using static Dsl.Generator.Emit.Literals;

namespace Dsl.Generator.Emit;

/// <summary>
/// Writes a model's feature maps: the constants of each map the spec asks for (channels and stride, also per stage),
/// the <c>FeatureMaps</c> class that holds them, and the pieces that <c>Features</c>, <c>forward</c> and the
/// inference form's twins share: the trunk, which runs the stem and every stage and returns each stage's output,
/// so <c>forward</c> is the head on the trunk's last output and <c>Features</c> keeps the maps asked for.
/// </summary>
internal static class FeaturesEmitter
{
    public const string ClassName = "FeatureMaps";
    public const string TrunkName = "Trunk";

    public static void EmitConstants(CodeWriter w, NetworkDescription n)
    {
        var f = n.Features;
        w.Line("/// <summary>The stages <see cref=\"Features\"/> returns, numbered as the state dict's layer1 to layer" + n.Stages.Count + ".</summary>");
        w.Line("public static IReadOnlyList<int> FeatureStages { get; } = " + Ints(f.Select(m => m.Stage)) + ";");
        w.Line("/// <summary>The channels of each feature map, in the order of <see cref=\"FeatureStages\"/>.</summary>");
        w.Line("public static IReadOnlyList<int> FeatureChannels { get; } = " + Ints(f.Select(m => m.Shape.Channels)) + ";");
        w.Line("/// <summary>Each feature map's stride from the input: one of its pixels spans that many input pixels.</summary>");
        w.Line("public static IReadOnlyList<int> FeatureStrides { get; } = " + Ints(f.Select(m => m.Stride)) + ";");
        foreach (var map in f)
        {
            w.Line("/// <summary>" + Describe(map, n) + "</summary>");
            w.Line("public const int " + map.Name + "Channels = " + Int(map.Shape.Channels) + ";");
            w.Line("public const int " + map.Name + "Stride = " + Int(map.Stride) + ";");
        }
    }

    /// <summary>The nested class of the maps: one tensor property per stage asked for, all freed by Dispose.</summary>
    public static void EmitClass(CodeWriter w, NetworkDescription n)
    {
        var f = n.Features;
        w.Line("/// <summary>");
        w.Line("/// The outputs of the stages <see cref=\"Features\"/> returns, [N, C, H, W] each; disposing this frees them.");
        w.Line("/// </summary>");
        w.Open("public sealed class " + ClassName + " : IDisposable");
        w.Wrapped("public " + ClassName + "(", f.Select(m => "Tensor " + Parameter(m)).ToList(), ") =>");
        w.Indent();
        w.Line(Tuple(f.Select(m => m.Name)) + " = " + Tuple(f.Select(Parameter)) + ";");
        w.Outdent();
        foreach (var map in f)
        {
            w.Line();
            w.Line("/// <summary>" + Describe(map, n) + "</summary>");
            w.Line("public Tensor " + map.Name + " { get; }");
        }
        w.Line();
        w.Line("/// <summary>The maps in stage order, for code that takes any number of them (a feature pyramid).</summary>");
        w.Line("public IReadOnlyList<Tensor> Maps => [" + string.Join(", ", f.Select(m => m.Name)) + "];");
        w.Line();
        w.Open("public void Dispose()");
        foreach (var map in f) w.Line(map.Name + ".Dispose();");
        w.Close();
        w.Close();
    }

    /// <summary>
    /// <c>Features</c>: the trunk in a scope of its own, whose maps asked for leave it (through
    /// <paramref name="convert"/>, a call that takes one map) and whose other tensors it frees.
    /// </summary>
    public static void EmitMethod(CodeWriter w, NetworkDescription n, IReadOnlyList<string> summary, IReadOnlyList<string> openingLines,
        string? convert)
    {
        w.Line("/// <summary>");
        foreach (var line in summary) w.Line("/// " + line);
        w.Line("/// </summary>");
        w.Open("public " + ClassName + " Features(Tensor input)");
        foreach (var line in openingLines) w.Line(line);
        w.Line("var stages = " + TrunkName + "(input);");
        var maps = n.Features.Select(m => (convert is null ? "stages." + m.Name : convert + "(stages." + m.Name + ")") + ".MoveToOuterDisposeScope()").ToList();
        w.Wrapped("return new(", maps, ");");
        w.Close();
    }

    /// <summary>The trunk's summary and declaration: the stage outputs it returns, named Stage1..Stage4.</summary>
    public static void OpenTrunk(CodeWriter w, NetworkDescription n, string what)
    {
        w.Line("/// <summary>");
        w.Line("/// " + what + ", returning each stage's output;");
        w.Line("/// its tensors join the caller's dispose scope.");
        w.Line("/// </summary>");
        w.Open("private " + Tuple(n.Stages.Select((_, i) => "Tensor Stage" + (i + 1))) + " " + TrunkName + "(Tensor input)");
    }

    /// <summary>The trunk's line for stage <paramref name="index"/> (from 0): it reads the stem's output, then the stage before.</summary>
    public static string StageCall(StageDescription stage, int index) =>
        "var " + StageLocal(index) + " = " + ModelChildren.Property(stage.Name) + ".call(" + (index == 0 ? "x" : StageLocal(index - 1)) + ");";

    private static string StageLocal(int index) => "stage" + (index + 1);

    public static string TrunkReturn(NetworkDescription n) =>
        "return " + Tuple(n.Stages.Select((_, i) => StageLocal(i))) + ";";

    /// <summary>The trunk's last output, which the classifier head reads.</summary>
    public static string LastStage(NetworkDescription n) => TrunkName + "(input).Stage" + n.Stages.Count;

    private static string Describe(FeatureDescription map, NetworkDescription n) =>
        map.Layer + "'s output: " + map.Shape.Channels + " channels at stride " + map.Stride + " (" + map.Shape + " at the declared input " + n.Input + ").";

    private static string Parameter(FeatureDescription map) => "stage" + map.Stage;

    /// <summary>One value alone, or a tuple of several.</summary>
    private static string Tuple(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 1 ? list[0] : "(" + string.Join(", ", list) + ")";
    }
}
