using System.Text.Json;
using Dsl.Runtime.Checkpoints;
using Dsl.Runtime.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Dsl.Trainer.Tests.Cli;

/// <summary><c>dsl bench --engine onnxruntime</c> and <c>--onnx FILE</c>: what they print, and the settings they refuse before timing.</summary>
public sealed class OnnxRuntimeBenchTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => BenchCommandTests.Run(args);

    [Fact]
    public void TheEngineTimesTheExportAndSaysSo()
    {
        var (code, output, error) = Run("bench", "--model", "bLResNet-Small", "--engine", "onnxruntime", "--batch", "2",
            "--warm-up", "0", "--repeats", "1", "--threads", "1");
        Assert.True(code == 0, output + error);
        using var model = Dsl.Definitions.BuiltInModels.Catalog.Get("bLResNet-Small").Create();
        var result = OnnxExport.Build(model).Result;
        Assert.Contains($"  exported bLResNet-Small in memory: opset 17, input [batch, 1, 28, 28], {result.Nodes} nodes\n", output);
        Assert.Contains($"  engine onnxruntime {OrtEnv.Instance().GetVersionString()}: all graph optimizations, sequential execution, 1 intra-op thread\n", output);
        Assert.Matches(@"(?m)^bLResNet-Small  eval  batch 2  fp32 nchw  \d+\.\d\d ms/batch  \d+\.\d images/s  onnxruntime$", output);
        Assert.DoesNotContain("  train  ", output);
    }

    [Fact]
    public void AFileIsTimedAtItsOwnSizeWithItsOptimizedGraphAndProfileWritten()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("small.onnx");
        using (var model = Dsl.Definitions.BuiltInModels.Catalog.Get("ScaleNet-Small").Create()) OnnxExport.Save(model, file);
        var optimized = temp.Combine("small.optimized.onnx");
        var profile = temp.Combine("small.profile.json");

        var (code, output, error) = Run("bench", "--onnx", file, "--batch", "3", "--warm-up", "1", "--repeats", "2", "--threads", "1",
            "--onnx-optimized", optimized, "--onnx-profile", profile, "--json");

        Assert.True(code == 0, output + error);
        using var document = JsonDocument.Parse(output.Trim());
        var root = document.RootElement;
        Assert.Equal("small.onnx", root.GetProperty("model").GetString());
        Assert.Equal("eval", root.GetProperty("mode").GetString());
        Assert.Equal(3, root.GetProperty("batch").GetInt32());
        Assert.Equal("fp32", root.GetProperty("precision").GetString());
        Assert.Equal("nchw", root.GetProperty("memory_format").GetString());
        Assert.Equal("onnxruntime", root.GetProperty("engine").GetString());
        Assert.True(root.GetProperty("ms_per_batch").GetDouble() > 0, output);
        Assert.True(new FileInfo(optimized).Length > 0, "no optimized graph was written");
        // One model_run event per run: the warm-up one and the two timed.
        using var trace = JsonDocument.Parse(File.ReadAllText(profile));
        Assert.Equal(3, trace.RootElement.EnumerateArray().Count(e => e.GetProperty("name").GetString() == "model_run"));
        Assert.Equal([profile], Directory.GetFiles(temp.Path, "*.json"));
    }

    [Fact]
    public void TheExportTakesTheWeightsAsExportDoes()
    {
        using var temp = new TempFolder();
        var weights = temp.Combine("weights.pth");
        using (var model = Dsl.Definitions.BuiltInModels.Catalog.Get("bLResNet-Small").Create()) Checkpoint.SaveStateDict(weights, model);
        var (code, output, error) = Run("bench", "--model", "bLResNet-Small", "--engine", "onnxruntime", "--weights", weights,
            "--batch", "1", "--warm-up", "0", "--repeats", "1", "--threads", "1");
        Assert.True(code == 0, output + error);
        Assert.DoesNotContain("warning", error);

        (code, _, error) = Run("bench", "--model", "bLResNet-Small", "--engine", "onnxruntime", "--weights", temp.Combine("none.pth"));
        Assert.Equal(2, code);
        Assert.Contains($"error: weights file '{temp.Combine("none.pth")}' does not exist", error);
    }

    [Theory]
    [InlineData("--mode train", "error: --engine onnxruntime times evaluation only; use --mode eval, not --mode train")]
    [InlineData("--mode both", "error: --engine onnxruntime times evaluation only; use --mode eval, not --mode both")]
    [InlineData("--precision bf16", "error: --engine onnxruntime runs the float32 export; use --precision fp32, not bf16")]
    [InlineData("--memory-format nhwc", "error: --engine onnxruntime is given NCHW images (it picks its own layout inside); use --memory-format nchw, not nhwc")]
    [InlineData("--model bLResNet-Small --model ScaleNet-Small --onnx-optimized x.onnx", "error: --onnx-optimized and --onnx-profile write one file; give one --model")]
    public void SettingsTheEngineCannotRunAreUsageErrors(string flags, string message)
    {
        var (code, output, error) = Run(["bench", "--engine", "onnxruntime", .. flags.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Equal(message, error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public void AnEngineOtherThanTheTwoIsRefused()
    {
        var (code, _, error) = Run("bench", "--engine", "tensorrt");
        Assert.NotEqual(0, code);
        Assert.Contains("'tensorrt'", error);
        Assert.Contains("'torchsharp'", error);
        Assert.Contains("'onnxruntime'", error);
    }

    [Fact]
    public void AFileIsRefusedWhenMissingBesideAModelOrAtAnotherSize()
    {
        using var temp = new TempFolder();
        var missing = temp.Combine("missing.onnx");
        var (code, _, error) = Run("bench", "--onnx", missing);
        Assert.Equal(2, code);
        Assert.Equal($"error: ONNX file '{missing}' does not exist", error.Trim());

        (code, _, error) = Run("bench", "--onnx", missing, "--engine", "torchsharp");
        Assert.Equal(2, code);
        Assert.Equal("error: --onnx times a file in ONNX Runtime; it takes --engine onnxruntime, not torchsharp", error.Trim());

        (code, _, error) = Run("bench", "--onnx", missing, "--model", "bLResNet-Small");
        Assert.Equal(2, code);
        Assert.Equal("error: --onnx times the given file; --model and --weights do not apply to it", error.Trim());

        var file = temp.Combine("small.onnx");
        using (var model = Dsl.Definitions.BuiltInModels.Catalog.Get("bLResNet-Small").Create()) OnnxExport.Save(model, file);
        (code, _, error) = Run("bench", "--onnx", file, "--input-size", "32");
        Assert.Equal(2, code);
        Assert.Equal("error: --input-size 32: the ONNX model's input 'input' has the fixed size 28 there", error.Trim());

        var corrupt = temp.Combine("corrupt.onnx");
        File.WriteAllText(corrupt, "not a model");
        (code, _, error) = Run("bench", "--onnx", corrupt);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: ONNX Runtime cannot load {corrupt}: ", error.Trim());
    }
}
