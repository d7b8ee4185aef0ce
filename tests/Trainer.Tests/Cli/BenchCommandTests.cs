using System.Text.Json;
using Dsl.Trainer.Models;

namespace Dsl.Trainer.Tests.Cli;

/// <summary><c>dsl bench</c> and <c>dsl eval</c> on generated models, which have inference forms and run mixed precision.</summary>
public sealed class BenchCommandTests
{
    /// <summary>The command line with one compute thread, on the built-in models.</summary>
    internal static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var oneThread = new OneComputeThread();
        return CommandRunner.Run(Dsl.Definitions.BuiltInModels.Catalog.All, args);
    }

    [Fact]
    public void JsonLinesCarryExactlyTheMeasurementFields()
    {
        var (code, output, error) = Run("bench", "--model", "bLResNet-Small", "--model", "ScaleNet-Small", "--batch", "4", "--warm-up", "1",
            "--repeats", "2", "--precision", "fp32", "--memory-format", "nchw", "--json");
        Assert.True(code == 0, output + error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var expected = new[] { ("bLResNet-Small", "eval"), ("bLResNet-Small", "train"), ("ScaleNet-Small", "eval"), ("ScaleNet-Small", "train") };
        for (var i = 0; i < lines.Length; i++)
        {
            using var document = JsonDocument.Parse(lines[i]);
            var root = document.RootElement;
            Assert.Equal(["model", "mode", "batch", "precision", "memory_format", "ms_per_batch", "images_per_s", "engine"],
                root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(expected[i].Item1, root.GetProperty("model").GetString());
            Assert.Equal(expected[i].Item2, root.GetProperty("mode").GetString());
            Assert.Equal(4, root.GetProperty("batch").GetInt32());
            Assert.Equal("fp32", root.GetProperty("precision").GetString());
            Assert.Equal("nchw", root.GetProperty("memory_format").GetString());
            Assert.Equal("torchsharp", root.GetProperty("engine").GetString());
            var ms = root.GetProperty("ms_per_batch").GetDouble();
            Assert.True(ms > 0, lines[i]);
            Assert.Equal(4 * 1000 / ms, root.GetProperty("images_per_s").GetDouble(), 0.1 + 4e5 / ms / ms);
        }
    }

    [Fact]
    public void TextOutputSaysWhatAutoChoseAndWhy()
    {
        var (code, output, error) = Run("bench", "--model", "bLResNet-Small", "--batch", "4", "--warm-up", "0", "--repeats", "1",
            "--precision", "bf16", "--memory-format", "auto", "--mode", "train");
        Assert.True(code == 0, output + error);
        Assert.Contains("precision bf16 (bfloat16 was asked for)", output);
        Assert.Matches(@"memory format (nhwc|nchw) \(auto: a bf16 training step of batch 4 took \d+\.\d ms in NHWC, \d+\.\d ms in NCHW\)", output);
        Assert.Matches(@"bLResNet-Small  train  batch 4  bf16 (nhwc|nchw)  \d+\.\d\d ms/batch  \d+\.\d images/s  torchsharp", output);
        Assert.DoesNotContain("  eval  ", output);
    }

    [Fact]
    public void BadBenchFlagsAreRefusedBeforeTiming()
    {
        var (code, _, error) = Run("bench", "--precision", "fp16");
        Assert.NotEqual(0, code);
        Assert.Contains("fp16", error);
        (code, _, error) = Run("bench", "--model", "bLResNet-Small", "--model", "bLResNet-Smal", "--json");
        Assert.Equal(2, code);
        Assert.Contains("unknown model 'bLResNet-Smal'", error);
        (code, _, error) = Run("bench", "--repeats", "0");
        Assert.Equal(2, code);
        Assert.Contains("--repeats", error);
    }

    [Fact]
    public void EvalRunsTheInferenceForm()
    {
        var (code, output, error) = Run("eval", "--model", "bLResNet-Small", "--data", "synthetic", "-b", "16", "-j", "0", "--precision", "fp32", "--memory-format", "nhwc");
        Assert.True(code == 0, output + error);
        Assert.Contains("Inference form: precision fp32 (float32 was asked for), memory format nhwc (NHWC was asked for)", output);
        Assert.Matches(@"Val@28: \tLoss: \d+\.\d{4}\tTop@1: \d+\.\d{4}", output);
    }
}
