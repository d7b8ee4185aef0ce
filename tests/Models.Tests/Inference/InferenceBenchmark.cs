using System.Diagnostics;
using Dsl.Definitions;
using Dsl.Runtime.Inference;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Dsl.Models.Tests.Inference;

/// <summary>A fact that runs only when DSL_INFERENCE_BENCHMARK=1: timings are measurements, not pass or fail.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DSL_INFERENCE_BENCHMARK") != "1") Skip = "set DSL_INFERENCE_BENCHMARK=1 to measure";
    }
}

/// <summary>Median milliseconds per batch of 16 at 224x224: the eval-mode model against its inference forms.</summary>
public sealed class InferenceBenchmark(ITestOutputHelper output)
{
    private const int Batch = 16;
    private const int Runs = 5;

    [BenchmarkFact]
    public void BLResNet50() => Measure("bLResNet-50");

    [BenchmarkFact]
    public void ScaleNet50() => Measure("ScaleNet-50");

    private void Measure(string name)
    {
        var info = BuiltInModels.Catalog.Get(name);
        using var model = info.Create();
        TrainedState.Apply(model, seed: 21);
        model.eval();
        using var images = TrainedState.Images(Batch, info.InputChannels, info.InputHeight, info.InputWidth, seed: 22);
        var channelsLast = new InferenceLayout(InferencePrecision.Float32, MemoryFormat.ChannelsLast);
        using var imagesChannelsLast = channelsLast.Convert(images);
        output.WriteLine($"{name}, batch {Batch}, {info.InputHeight}x{info.InputWidth}, {get_num_threads()} threads, median of {Runs}:");

        using (no_grad())
        {
            Report("eval model, fp32 NCHW", () => model.call(images));
            // The model's own convolutions keep NCHW weights; the channels-last input is what changes.
            Report("eval model, fp32 NHWC input", () => model.call(imagesChannelsLast));
        }
        var generated = (IHasInferenceForm)model;
        using (var form = generated.ForInference(InferencePrecision.Float32, MemoryFormat.ChannelsLast))
            Report("inference form, fp32 NHWC", () => form.call(images));
        using (var form = generated.ForInference(InferencePrecision.BFloat16, MemoryFormat.ChannelsLast))
            Report("inference form, bf16 NHWC", () => form.call(images));
        using (var form = generated.ForInference(InferencePrecision.BFloat16, MemoryFormat.Contiguous))
            Report("inference form, bf16 NCHW", () => form.call(images));
    }

    private void Report(string what, Func<Tensor> run)
    {
        run().Dispose();
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            run().Dispose();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"  {what,-30} {times[Runs / 2],8:F0} ms  (min {times[0]:F0}, max {times[^1]:F0})");
    }
}
