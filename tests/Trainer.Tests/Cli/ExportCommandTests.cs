using Dsl.Runtime.Tests.Inference;
using Dsl.Runtime.Tests.Onnx;
using Dsl.Trainer.Specs;

namespace Dsl.Trainer.Tests.Cli;

/// <summary><c>dsl export</c>: a spec file and its weights become an ONNX file that computes the model's eval logits.</summary>
public sealed class ExportCommandTests
{
    /// <summary>
    /// A ScaleNet with the stem's max pool, a zero-width branch, branches that come back by nearest (7 divides 14) and by
    /// bilinear upsampling (pooled by 4, 14 becomes 3), at 1x28x28; stage maps 14, 7, 3, 1.
    /// </summary>
    private const string Spec = """
        name: Export-Scale
        family: scalenet
        blocks: [1, 1, 1, 1]
        widths: [8, 16, 32, 64]
        stem: { kernel: 3, stride: 1, max_pool: true }
        classes: 7
        input: [1, 28, 28]
        allocation:
          - [4, 2, 2, 0, 14]
          - [8, 4, 2, 2, 7]
          - [24, 8, 0, 0, 3]
          - [64, 0, 0, 0, 1]
        """;

    // The spec written into the folder, and its model compiled with trained-looking weights of the seed.
    private static nn.Module<Tensor, Tensor> Compiled(TempFolder temp, long seed, out string spec)
    {
        spec = temp.Combine("export.model.yaml");
        File.WriteAllText(spec, Spec);
        var model = SpecCompiler.Compile(spec).Create();
        TrainedState.Apply(model, seed);
        return model;
    }

    [Fact]
    public void ASpecFilesExportWithItsWeightsComputesItsEvalLogits()
    {
        using var temp = new TempFolder();
        using var model = Compiled(temp, seed: 3, out var spec);
        var weights = temp.Combine("weights.pth");
        Checkpoint.SaveStateDict(weights, model);

        var (onnx, output) = Export(temp, spec, "--weights", weights);
        Assert.Contains($"Export-Scale: wrote {onnx} (opset 17, input [batch, 1, 28, 28], 7 classes, ", output);
        AssertComputesEvalLogits(onnx, model);
    }

    // dsl export of the spec into the folder's export.onnx, which must succeed; the file and what the command printed.
    private static (string Onnx, string Output) Export(TempFolder temp, string spec, params string[] weights)
    {
        var onnx = temp.Combine("export.onnx");
        var (code, output, error) = CommandLineTests.Run([], ["export", "--model", spec, .. weights, "--output", onnx]);
        Assert.True(code == 0, output + error);
        return (onnx, output);
    }

    [Fact]
    public void EmaWeightsExportsTheCheckpointsAverageOfTheWeights()
    {
        using var temp = new TempFolder();
        using var model = Compiled(temp, seed: 3, out var spec);
        using var average = new WeightAverage(model, 0.5);
        TrainedState.Apply(model, seed: 5);
        var checkpoint = temp.Combine("checkpoint.pth.tar");
        TrainingCheckpoint.Save(checkpoint, new TrainingProgress(1, "Export-Scale", 0, null, null), model, null, average.Saved);

        var (onnx, _) = Export(temp, spec, "--weights", checkpoint, "--ema-weights");
        // The file computes the average's logits (seed 3's weights), not the live weights' (seed 5's).
        average.Swap(model);
        AssertComputesEvalLogits(onnx, model);
    }

    private static void AssertComputesEvalLogits(string onnx, nn.Module<Tensor, Tensor> model)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = TrainedState.Images(3, 1, 28, 28, seed: 4);
        var relative = Agreement.RelativeError(OnnxRuntimeRunner.Logits(onnx, images), model.call(images));
        Assert.True(relative <= 1e-4, $"relative error {relative:E2}");
    }

    [Fact]
    public void AnOpsetOutOfRangeIsAUsageErrorAndWritesNothing()
    {
        using var temp = new TempFolder();
        var onnx = temp.Combine("small.onnx");
        var (code, _, error) = CommandLineTests.Run(Dsl.Definitions.BuiltInModels.Catalog.All, "export", "--model", "bLResNet-Small", "--output", onnx, "--opset", "11");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --opset: opset 11 cannot express", error);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void FeaturesAddTheStagesOutputsAfterTheLogits()
    {
        using var temp = new TempFolder();
        var onnx = temp.Combine("small.onnx");
        var (code, output, error) = CommandLineTests.Run(Dsl.Definitions.BuiltInModels.Catalog.All, "export", "--model", "bLResNet-Small",
            "--output", onnx, "--features", "4,2");
        Assert.True(code == 0, error);
        Assert.Contains("; feature maps stage2, stage4", output);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        Assert.Equal(["logits", "stage2", "stage4"], session.OutputNames);
        Assert.Equal([-1, 96, 4, 4], session.OutputMetadata["stage2"].Dimensions);
    }

    [Fact]
    public void AFeatureStageOutOfRangeIsAUsageErrorAndWritesNothing()
    {
        using var temp = new TempFolder();
        var onnx = temp.Combine("small.onnx");
        var (code, _, error) = CommandLineTests.Run(Dsl.Definitions.BuiltInModels.Catalog.All, "export", "--model", "bLResNet-Small",
            "--output", onnx, "--features", "2,5");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --features: '5' is not a stage number from 1 to 4", error);
        Assert.False(File.Exists(onnx));
    }
}
