using System.Collections.Generic;
using Dsl.Generator.Description;
using static Dsl.Generator.Emit.Literals;

namespace Dsl.Generator.Emit;

/// <summary>
/// Writes a model's inference form into its class: <c>ForInference</c> and a nested <c>Inference</c> module
/// whose children are the model's convolutions with their batch norms folded in (each block's
/// <c>ForInference</c> does the folding) and whose forward and Features follow the model's, under inference mode, converting
/// its input once.
/// </summary>
internal static class InferenceEmitter
{
    public static void Emit(CodeWriter w, NetworkDescription n)
    {
        w.Line("/// <summary>");
        w.Line("/// The inference form of this model as it stands now: each batch norm folded into its convolution with the");
        w.Line("/// running statistics (eval semantics), weights cast and laid out once. Later training does not change it.");
        w.Line("/// </summary>");
        w.Line("public Inference ForInference(Precision precision, MemoryFormat format) =>");
        w.Line("    new(this, new InferenceLayout(precision, format));");
        w.Line();
        w.Line("Module IHasInferenceForm.ForInference(Precision precision, MemoryFormat format) => ForInference(precision, format);");
        w.Line();
        w.Line("/// <summary>" + DocText(n.Name) + " for inference: float32 NCHW images in, float32 logits out, no autograd.</summary>");
        w.Open("public sealed class Inference : Module");
        foreach (var child in ModelChildren.Of(n))
            if (child.InferenceType is { } type)
                w.Line("[field: ComponentName(Name = " + String(child.Key) + ")] public " + type + " " + child.Property + " { get; }");
        w.Line("public InferenceLayout Layout { get; }");
        w.Line();
        EmitConstructor(w, n);
        w.Line();
        EmitForward(w, n);
        w.Close();
    }

    private static void EmitConstructor(CodeWriter w, NetworkDescription n)
    {
        w.Open("public Inference(" + n.ClassName + " model, InferenceLayout layout) : base(CanonicalName + \" inference\")");
        w.Line("using var noGrad = Torch.no_grad();");
        w.Line("Layout = layout;");
        foreach (var child in ModelChildren.Of(n))
            if (child.InferenceBuild is { } build) w.Line(child.Property + " = " + build + ";");
        w.Line("RegisterComponents();");
        w.Close();
    }

    private static void EmitForward(CodeWriter w, NetworkDescription n)
    {
        string[] opening = ["using var inference = Torch.inference_mode();", "using var scope = Torch.NewDisposeScope();"];
        w.Open("public override Tensor forward(Tensor input)");
        foreach (var line in opening) w.Line(line);
        w.Line("// global average pool, flatten, fc, in float32 -> [N, " + n.Classes + "]");
        w.Line("return Fc.call(" + FeaturesEmitter.LastStage(n) + ").MoveToOuterDisposeScope();");
        w.Close();
        w.Line();
        FeaturesEmitter.EmitMethod(w, n,
            [
                "The model's stage outputs for <paramref name=\"input\"/> (eval semantics), computed in this form's",
                "precision and layout and returned in float32 NCHW, as the model's own. The caller owns them: dispose the",
                "result, or let an enclosing dispose scope free them.",
            ],
            opening, convert: "InferenceLayout.ToFloat32Nchw");
        w.Line();
        EmitTrunk(w, n);
    }

    private static void EmitTrunk(CodeWriter w, NetworkDescription n)
    {
        var stem = n.Stem;
        FeaturesEmitter.OpenTrunk(w, n, "The stem, then every stage, in the layout");
        w.Line("// the input in the layout's precision and memory format, once");
        w.Line("var x = Layout.Convert(input);");
        w.Line("// conv1 " + stem.Kernel + "x" + stem.Kernel + "/" + stem.Stride + " with bn1, ReLU -> " + stem.Conv1Output);
        w.Line("x = Conv1.call(x);");
        if (stem.BigLittle)
        {
            w.Line("// bL stem: Big 3x3 (no ReLU) + Little 3x3, 3x3, 1x1 (no ReLU), added, ReLU, then 1x1 -> " + stem.Output);
            w.Line("var big = BConv0.call(x);");
            w.Line("x = BlInit.call(LConv2.AddInto(big, LConv1.call(LConv0.call(x))));");
        }
        if (stem.MaxPool)
        {
            w.Line("// max-pool 3x3/2 -> " + stem.Output);
            w.Line("x = Maxpool.call(x);");
        }
        for (var i = 0; i < n.Stages.Count; i++)
        {
            var stage = n.Stages[i];
            w.Line("// " + stage.Name + " -> " + stage.Output);
            w.Line(FeaturesEmitter.StageCall(stage, i));
        }
        w.Line(FeaturesEmitter.TrunkReturn(n));
        w.Close();
    }
}
