using Dsl.Runtime;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;

namespace Dsl.Runtime.Tests.Inference;

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

    /// <summary>
    /// Training-mode batch norm (forward and backward) at the size of ScaleNet-50's first-stage branches (batch 16,
    /// 56x56), on bfloat16 and float32 input, NHWC and NCHW; the weights and statistics are float32 in all.
    /// </summary>
    [BenchmarkFact]
    public void BatchNormInputPrecision()
    {
        foreach (var channels in new[] { 62, 12, 256 })
        {
            foreach (var (dtype, channelsLast) in new[] { (ScalarType.Float32, true), (ScalarType.BFloat16, true), (ScalarType.Float32, false), (ScalarType.BFloat16, false) })
            {
                using var norm = nn.BatchNorm2d(channels);
                using var nchw = randn(Batch, channels, 56, 56).to(dtype);
                using var input = (channelsLast ? nchw.ToChannelsLast() : nchw.alias()).requires_grad_();
                using var gradient = ones_like(input);
                var times = new List<double>();
                for (var i = 0; i < 2 + Runs; i++)
                {
                    using var scope = NewDisposeScope();
                    var clock = Stopwatch.StartNew();
                    norm.call(input).backward([gradient]);
                    if (i >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
                    input.grad?.zero_();
                }
                times.Sort();
                output.WriteLine($"batch norm, {channels} channels, {dtype} {(channelsLast ? "NHWC" : "NCHW")} input: {times[Runs / 2]:F2} ms");
            }
        }
    }

    /// <summary>The model in eval mode with batch-norm statistics of a trained network, and a batch of images.</summary>
    private static (ModelInfo Info, nn.Module<Tensor, Tensor> Model, Tensor Images) Prepare(string name)
    {
        var info = BuiltInModels.Catalog.Get(name);
        var model = info.Create();
        TrainedState.Apply(model, seed: 21);
        model.eval();
        return (info, model, TrainedState.Images(Batch, info.InputChannels, info.InputHeight, info.InputWidth, seed: 22));
    }

    private void Measure(string name)
    {
        var (info, model, images) = Prepare(name);
        using var disposeModel = model;
        using var disposeImages = images;
        var channelsLast = new InferenceLayout(Precision.Float32, MemoryFormat.Nhwc);
        using var imagesChannelsLast = channelsLast.Convert(images);
        output.WriteLine($"{name}, batch {Batch}, {info.InputHeight}x{info.InputWidth}, {get_num_threads()} threads, median of {Runs}:");

        using (no_grad())
        {
            Report("eval model, fp32 NCHW", () => model.call(images));
            // The model's own convolutions keep NCHW weights; the channels-last input is what changes.
            Report("eval model, fp32 NHWC input", () => model.call(imagesChannelsLast));
        }
        var generated = (IHasInferenceForm)model;
        using (var form = generated.ForInference(Precision.Float32, MemoryFormat.Nhwc))
            Report("inference form, fp32 NHWC", () => form.call(images));
        using (var form = generated.ForInference(Precision.BFloat16, MemoryFormat.Nhwc))
            Report("inference form, bf16 NHWC", () => form.call(images));
        using (var form = generated.ForInference(Precision.BFloat16, MemoryFormat.Nchw))
            Report("inference form, bf16 NCHW", () => form.call(images));
    }

    [BenchmarkFact]
    public void ConvolutionShares()
    {
        foreach (var name in new[] { "bLResNet-50", "ScaleNet-50" }) ConvolutionShare(name);
    }

    /// <summary>
    /// Of the bf16 NHWC inference form's time, how much is spent inside its convolutions (each with its folded batch
    /// norm and ReLU), timed by hooks around every <see cref="FusedConv"/> call; the rest is pooling, upsampling,
    /// concatenation, residual adds and ReLUs. A convolution that joins a residual through <see cref="FusedConv.AddInto"/>
    /// is a method call that no hook sees: its time counts in the rest, and its arithmetic is left out of the rate.
    /// </summary>
    private void ConvolutionShare(string name)
    {
        var (info, model, images) = Prepare(name);
        using var disposeModel = model;
        using var disposeImages = images;
        using var form = ((IHasInferenceForm)model).ForInference(Precision.BFloat16, MemoryFormat.Nhwc);
        var inConvolutions = new Stopwatch();
        var convolutions = form.modules().OfType<FusedConv>().ToList();
        var called = new HashSet<FusedConv>();
        var hookedGflop = 0.0;
        foreach (var module in convolutions)
        {
            module.register_forward_pre_hook((_, input) => { inConvolutions.Start(); return input; });
            module.register_forward_hook((conv, _, result) =>
            {
                inConvolutions.Stop();
                if (called.Add((FusedConv)conv)) hookedGflop += Gflop((FusedConv)conv, result.shape);
                return result;
            });
        }
        form.call(images).Dispose();
        var totals = new List<(double Total, double Convolution)>();
        for (var i = 0; i < Runs; i++)
        {
            inConvolutions.Reset();
            var clock = Stopwatch.StartNew();
            form.call(images).Dispose();
            totals.Add((clock.Elapsed.TotalMilliseconds, inConvolutions.Elapsed.TotalMilliseconds));
        }
        var (total, convolution) = totals.OrderBy(t => t.Total).ElementAt(Runs / 2);
        var gflop = 2.0 * info.MultiplyAdds * Batch / 1e9;
        output.WriteLine($"{name}, bf16 NHWC inference form, batch {Batch}, {get_num_threads()} threads, {gflop:F0} GFLOP: {total:F0} ms; " +
            $"{called.Count} of {convolutions.Count} convolutions called alone {convolution:F0} ms ({100 * convolution / total:F0}%, " +
            $"{hookedGflop / convolution * 1000:F0} GFLOP/s on {hookedGflop:F0} GFLOP); the rest {total - convolution:F0} ms, " +
            $"with the {convolutions.Count - called.Count} convolutions joined to a residual ({gflop - hookedGflop:F0} GFLOP)");
    }

    /// <summary>The arithmetic of one convolution call that gave an output of <paramref name="outputShape"/>.</summary>
    private static double Gflop(FusedConv conv, long[] outputShape)
    {
        var w = conv.state_dict()["weight"].shape;
        return 2.0 * outputShape[0] * outputShape[2] * outputShape[3] * w[0] * w[1] * w[2] * w[3] / 1e9;
    }

    [BenchmarkFact]
    public void ConvolutionShapes()
    {
        foreach (var name in new[] { "bLResNet-50", "ScaleNet-50" }) ConvolutionShape(name);
    }

    /// <summary>
    /// Each convolution of the bf16 NHWC inference form timed alone on the input it had in the network (median of
    /// runs), summed by shape: which shapes hold the time and which run far below the convolution rate. Those that join
    /// a residual through <see cref="FusedConv.AddInto"/> are not seen by the hook and so not timed.
    /// </summary>
    private void ConvolutionShape(string name)
    {
        var (info, model, images) = Prepare(name);
        using var disposeModel = model;
        using var disposeImages = images;
        using var form = ((IHasInferenceForm)model).ForInference(Precision.BFloat16, MemoryFormat.Nhwc);
        var inputs = new List<(FusedConv Conv, Tensor Input)>();
        var recording = true;
        foreach (var module in form.modules().OfType<FusedConv>())
        {
            module.register_forward_pre_hook((conv, input) =>
            {
                if (recording) inputs.Add(((FusedConv)conv, input.clone().DetachFromDisposeScope()));
                return input;
            });
        }
        form.call(images).Dispose();
        recording = false;
        var shapes = new Dictionary<string, (int Count, double Milliseconds, double Gflop)>();
        var total = 0.0;
        using (no_grad())
        {
            foreach (var (conv, input) in inputs)
            {
                using var disposeInput = input;
                var times = new List<double>();
                long[] outputShape = [];
                for (var i = 0; i < 1 + Runs; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var result = conv.call(input);
                    if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds);
                    outputShape = result.shape;
                }
                times.Sort();
                var w = conv.state_dict()["weight"].shape;
                var gflop = Gflop(conv, outputShape);
                var shape = $"{w[3]}x{w[2]} {w[1]}->{w[0]}, {input.shape[2]}x{input.shape[3]} -> {outputShape[2]}x{outputShape[3]}";
                var sum = shapes.GetValueOrDefault(shape);
                shapes[shape] = (sum.Count + 1, sum.Milliseconds + times[Runs / 2], sum.Gflop + gflop);
                total += times[Runs / 2];
            }
        }
        output.WriteLine($"{name}, bf16 NHWC inference form, batch {Batch}: {inputs.Count} convolutions timed alone, {total:F0} ms");
        foreach (var (shape, sum) in shapes.OrderByDescending(s => s.Value.Milliseconds))
            output.WriteLine($"  {shape,-36} x{sum.Count,-3} {sum.Milliseconds,7:F2} ms {sum.Gflop / sum.Milliseconds * 1000,6:F0} GFLOP/s");
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
