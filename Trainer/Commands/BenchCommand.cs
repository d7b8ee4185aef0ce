using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Dsl.Runtime.Platform;
using Dsl.Runtime;
using Dsl.Runtime.Inference;
using Dsl.Generator.Specs;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Models;
using Dsl.Runtime.Onnx;
using Google.Protobuf;
using Dsl.Runtime.Training;
using Dsl.Trainer.Platform;
using Dsl.Trainer.Setup;

namespace Dsl.Trainer.Commands;

/// <summary>One measurement of <c>dsl bench</c>; with --json it is printed as one JSON object with these fields in snake case.</summary>
public sealed record BenchResult(string Model, string Mode, int Batch, string Precision, string MemoryFormat, double MsPerBatch, double ImagesPerS, string Engine);

/// <summary>
/// <c>dsl bench</c>: the median time of a batch after warm-up, in evaluation (the generated inference form) and in training
/// (a full SGD step under the precision policy), for one model or several side by side, on synthetic images. With
/// <c>--engine onnxruntime</c> it times evaluation of the model exported to ONNX (in memory) in ONNX Runtime instead, or of
/// the file given by <c>--onnx</c>, with the same images, batch, warm-up and repeats.
/// </summary>
public sealed class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Option<string[]> models = new("--model", "-m")
    { Description = "model name or spec file; repeat to compare models", DefaultValueFactory = _ => [CliContext.DefaultModel] };
    private readonly Option<int> batch = new("--batch", "-b") { Description = "images per batch", DefaultValueFactory = _ => 32 };
    private readonly Option<int?> inputSize = new("--input-size") { Description = "input side in pixels (the model's)" };
    private readonly Option<string> precision = new("--precision") { Description = "fp32, bf16 or auto (bf16 where the hardware runs it natively)", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> memoryFormat = new("--memory-format") { Description = "nchw, nhwc or auto (the faster, measured)", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> mode = new("--mode") { Description = "eval (inference form), train (SGD step) or both", DefaultValueFactory = _ => "both" };
    // Six: .NET recompiles hot methods, optimized, in the background during the first batches, slowing about five.
    private readonly Option<int> warmUp = new("--warm-up") { Description = "untimed batches first", DefaultValueFactory = _ => 6 };
    private readonly Option<int> repeats = new("--repeats") { Description = "timed batches; the median is reported", DefaultValueFactory = _ => 10 };
    private readonly Option<int?> threads = new("--threads") { Description = "compute threads: libtorch's, or ONNX Runtime's intra-op threads (all cores)" };
    private readonly Option<bool> json = new("--json") { Description = "one JSON object per measurement and nothing else" };
    private readonly Option<string> engine = new("--engine")
    { Description = "torchsharp (our inference form and training step) or onnxruntime (the model exported to ONNX; eval only)", DefaultValueFactory = _ => TorchSharpEngine };
    private readonly Option<string?> onnx = new("--onnx") { Description = "an ONNX file to time in ONNX Runtime instead of a model (its first input and output)" };
    private readonly Option<string?> optimized = new("--onnx-optimized") { Description = "with onnxruntime: write the graph as ONNX Runtime optimized it to this file" };
    private readonly Option<string?> profile = new("--onnx-profile") { Description = "with onnxruntime: write ONNX Runtime's profile of the warm-up and timed runs (a Chrome trace) to this file" };
    private readonly TrainingFlags flags = new();

    private const string TorchSharpEngine = "torchsharp";
    private const string OnnxRuntimeEngine = "onnxruntime";

    private readonly CliContext context;

    private BenchCommand(CliContext context) => this.context = context;

    public static Command Create(CliContext context) => new BenchCommand(context).Build();

    private Command Build()
    {
        precision.AcceptOnlyFromAmong([.. TrainingSpec.Precisions.Select(c => c.Key)]);
        memoryFormat.AcceptOnlyFromAmong([.. TrainingSpec.MemoryFormats.Select(c => c.Key)]);
        mode.AcceptOnlyFromAmong("eval", "train", "both");
        engine.AcceptOnlyFromAmong(TorchSharpEngine, OnnxRuntimeEngine);
        var command = new Command("bench", "time evaluation and training batches of one or more models")
        {
            models, batch, inputSize, precision, memoryFormat, mode, warmUp, repeats, threads, json, engine, onnx, optimized, profile,
            flags.Weights, flags.Strict,
        };
        command.SetAction(Run);
        return command;
    }

    private int Run(ParseResult parse)
    {
        var batchSize = TrainingFlags.Positive(parse.GetValue(batch), "--batch");
        if (parse.GetValue(warmUp) < 0) throw new UsageException("--warm-up cannot be negative");
        if (parse.GetValue(repeats) < 1) throw new UsageException("--repeats must be at least 1");
        if (parse.GetValue(threads) is { } count)
        {
            TrainingFlags.Positive(count, "--threads");
            TorchRuntime.EnsureLoaded();
            set_num_threads(count);
        }
        var modes = parse.GetValue(mode) == "both" ? new[] { "eval", "train" } : [parse.GetValue(mode)!];
        var settings = new Settings(TrainingFlags.ParseChoice<Precision>(parse.GetValue(precision)!, TrainingSpec.Precisions),
            TrainingFlags.ParseChoice<MemoryFormat>(parse.GetValue(memoryFormat)!, TrainingSpec.MemoryFormats),
            parse.GetValue(warmUp), parse.GetValue(repeats), parse.GetValue(json), parse.GetValue(flags.Weights), parse.GetValue(flags.Strict));
        if (OnOnnxRuntime(parse))
        {
            RunOnnxRuntime(parse, batchSize, settings);
            return 0;
        }
        if (parse.GetValue(optimized) is not null) throw new UsageException("--onnx-optimized is a setting of --engine onnxruntime");
        if (parse.GetValue(profile) is not null) throw new UsageException("--onnx-profile is a setting of --engine onnxruntime");
        // Resolve every name first, so that a typo in the last one fails before minutes of timing.
        var entries = parse.GetValue(models)!.Select(name => (Name: name, Info: context.ResolveModel(name))).ToList();
        // Not on the output, which --json keeps to one object per line; each line once.
        context.Error.WriteLine(TorchRuntime.Summary);
        if (PrecisionPolicy.Resolve(settings.Precision, CPU).Warning is { } slower) context.Error.WriteLine("warning: " + slower);
        string? said = null;
        foreach (var (name, entry) in entries)
        {
            var size = TrainingFlags.Positive(parse.GetValue(inputSize) ?? entry.InputHeight, "--input-size");
            long[] shape = [batchSize, entry.InputChannels, size, size];
            var line = OneDnnAdmission.Decide(name, entry, size, batchSize, settings.Precision, settings.MemoryFormat, CPU)
                ?? (OneDnn.Notice is { } notice ? "warning: " + notice : null);
            if (line is not null && line != said) context.Error.WriteLine(said = line);
            foreach (var which in modes) Print(which == "eval" ? Eval(entry, shape, settings) : Train(entry, shape, settings), settings.Json);
        }
        return 0;
    }

    /// <summary>Whether the option was given on the command line (not its default).</summary>
    private static bool Explicit(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>
    /// Whether this run times ONNX Runtime: <c>--engine onnxruntime</c>, or <c>--onnx</c>, which implies it. Settings the
    /// engine cannot run (training, bfloat16, NHWC input, a model beside a file) are usage errors, before any timing.
    /// </summary>
    private bool OnOnnxRuntime(ParseResult parse)
    {
        var named = parse.GetValue(engine)!;
        var file = parse.GetValue(onnx);
        if (file is not null && Explicit(parse, engine) && named != OnnxRuntimeEngine)
            throw new UsageException($"--onnx times a file in ONNX Runtime; it takes --engine {OnnxRuntimeEngine}, not {named}");
        if (named != OnnxRuntimeEngine && file is null) return false;
        if (Explicit(parse, mode) && parse.GetValue(mode) != "eval")
            throw new UsageException($"--engine {OnnxRuntimeEngine} times evaluation only; use --mode eval, not --mode {parse.GetValue(mode)}");
        if (parse.GetValue(precision) is not ("auto" or "fp32"))
            throw new UsageException($"--engine {OnnxRuntimeEngine} runs the float32 export; use --precision fp32, not {parse.GetValue(precision)}");
        if (parse.GetValue(memoryFormat) == "nhwc")
            throw new UsageException($"--engine {OnnxRuntimeEngine} is given NCHW images (it picks its own layout inside); use --memory-format nchw, not nhwc");
        if (file is not null && (Explicit(parse, models) || parse.GetValue(flags.Weights) is not null))
            throw new UsageException("--onnx times the given file; --model and --weights do not apply to it");
        if ((parse.GetValue(optimized) ?? parse.GetValue(profile)) is not null && file is null && parse.GetValue(models)!.Length > 1)
            throw new UsageException("--onnx-optimized and --onnx-profile write one file; give one --model");
        return true;
    }

    /// <summary>ONNX Runtime on the <c>--onnx</c> file, or on each model exported in memory as <c>dsl export</c> writes it.</summary>
    private void RunOnnxRuntime(ParseResult parse, int batchSize, Settings settings)
    {
        var setup = new OnnxRuntimeBench.Setup(parse.GetValue(threads), parse.GetValue(optimized), parse.GetValue(profile));
        if (parse.GetValue(onnx) is { } file)
        {
            if (!File.Exists(file)) throw new UsageException($"ONNX file '{file}' does not exist");
            using var session = OnnxRuntimeBench.Load(null, file, setup);
            Print(TimeOnnxRuntime(session, Path.GetFileName(file), session.InputShape(batchSize, parse.GetValue(inputSize)), settings, setup), settings.Json);
            return;
        }
        var entries = parse.GetValue(models)!.Select(name => context.ResolveModel(name)).ToList();
        foreach (var entry in entries)
        {
            var size = TrainingFlags.Positive(parse.GetValue(inputSize) ?? entry.InputHeight, "--input-size");
            var (bytes, exported) = Export(entry, size, settings);
            Note(settings, $"exported {exported.Model} in memory: opset {exported.Opset}, input [batch, {exported.Channels}, {exported.Height}, {exported.Width}], {exported.Nodes} nodes");
            using var session = OnnxRuntimeBench.Load(bytes, entry.Name, setup);
            Print(TimeOnnxRuntime(session, entry.Name, session.InputShape(batchSize, size), settings, setup), settings.Json);
        }
    }

    private BenchResult TimeOnnxRuntime(OnnxRuntimeBench session, string name, long[] shape, Settings settings, OnnxRuntimeBench.Setup setup)
    {
        Note(settings, OnnxRuntimeBench.Describe(setup));
        using var images = SyntheticBatch.Images(shape, CPU);
        var ms = session.MedianMilliseconds(images, settings.WarmUp, settings.Repeats);
        return new(name, "eval", (int)shape[0], "fp32", "nchw", Math.Round(ms, 3), Math.Round(shape[0] * 1000 / ms, 1), OnnxRuntimeEngine);
    }

    /// <summary>The model with its weights, exported at <paramref name="size"/>² as <c>dsl export</c> writes it, as the file's bytes.</summary>
    private (byte[] Bytes, OnnxExportResult Result) Export(ModelInfo entry, int size, Settings settings)
    {
        using var model = Create(entry, settings);
        model.eval();
        try
        {
            var (proto, result) = OnnxExport.Build(model, new OnnxExportOptions(Height: size, Width: size));
            return (proto.ToByteArray(), result);
        }
        catch (OnnxExportException e)
        {
            throw new InvalidOperationException($"cannot export {entry.Name}: {e.Message}", e);
        }
    }

    /// <summary>A new model, initialized from seed 0, then given the --weights where there are some.</summary>
    private nn.Module<Tensor, Tensor> Create(ModelInfo entry, Settings settings)
    {
        manual_seed(0);
        var model = entry.Create();
        if (settings.Weights is not { } weights) return model;
        try
        {
            var report = WeightsLoader.Load(model, weights, settings.Strict);
            if (!report.IsExact) context.Error.WriteLine($"warning: weights '{weights}' did not match exactly: {report}");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private BenchResult Eval(ModelInfo entry, long[] shape, Settings settings)
    {
        using var model = Create(entry, settings);
        model.eval();
        var (form, chosenPrecision, layout) = InferenceFormChoice.Build(model, settings.Precision, settings.MemoryFormat, shape, CPU);
        using (form)
        {
            Note(settings, chosenPrecision.ToString(), layout.ToString());
            using var images = SyntheticBatch.Images(shape, CPU);
            var ms = StepTimer.MedianMilliseconds(() => form.call(images), settings.WarmUp, settings.Repeats, CPU);
            return Result(entry, "eval", shape, chosenPrecision, layout, ms);
        }
    }

    private BenchResult Train(ModelInfo entry, long[] shape, Settings settings)
    {
        using var model = Create(entry, settings);
        model.train();
        var options = new TrainingOptions();
        var chosenPrecision = PrecisionPolicy.Resolve(settings.Precision, CPU);
        var layout = MemoryFormatProbe.Apply(settings.MemoryFormat, model, shape, options, chosenPrecision);
        Note(settings, chosenPrecision.ToString(), layout.ToString());
        using var images = SyntheticBatch.Images(shape, CPU);
        using var laidOut = layout.IsChannelsLast() ? images.ToChannelsLast() : images.alias();
        using var labels = SyntheticBatch.Labels(shape[0], entry.Classes, CPU);
        using var sgd = options.CreateOptimizer(model);
        var ms = StepTimer.MedianMilliseconds(() => TrainingStep.Run(model, sgd, laidOut, labels, chosenPrecision), settings.WarmUp, settings.Repeats, CPU);
        return Result(entry, "train", shape, chosenPrecision, layout, ms);
    }

    private static BenchResult Result(ModelInfo entry, string which, long[] shape, Choice<Precision> chosenPrecision, Choice<MemoryFormat> layout, double ms) =>
        new(entry.Name, which, (int)shape[0], chosenPrecision.Name, layout.Name, Math.Round(ms, 3), Math.Round(shape[0] * 1000 / ms, 1), TorchSharpEngine);

    private void Note(Settings settings, params string[] lines)
    {
        if (settings.Json) return;
        foreach (var line in lines) context.Output.WriteLine("  " + line);
    }

    private void Print(BenchResult r, bool asJson) =>
        context.Output.WriteLine(asJson
            ? JsonSerializer.Serialize(r, Json)
            : string.Format(CultureInfo.InvariantCulture, "{0}  {1}  batch {2}  {3} {4}  {5:F2} ms/batch  {6:F1} images/s  {7}",
                r.Model, r.Mode, r.Batch, r.Precision, r.MemoryFormat, r.MsPerBatch, r.ImagesPerS, r.Engine));

    private sealed record Settings(Precision Precision, MemoryFormat MemoryFormat, int WarmUp, int Repeats, bool Json, string? Weights, bool Strict);
}
