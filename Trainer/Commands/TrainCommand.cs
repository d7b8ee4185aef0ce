using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Dsl.Runtime.Platform;
using TrainingSpec = Dsl.Generator.Specs.TrainingSpec;
using Dsl.Runtime;
using Dsl.Runtime.Distributed;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Logging;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Models;
using Dsl.Runtime.Training;
using Dsl.Trainer.Platform;
using Dsl.Trainer.Models;
using Dsl.Trainer.Progress;
using Dsl.Trainer.Setup;
using Spectre.Console;

namespace Dsl.Trainer.Commands;

/// <summary><c>dsl train</c> and <c>dsl eval</c>: the original script's train / evaluate flow.</summary>
public sealed class TrainCommand(IReadOnlyList<ModelInfo> catalog, IAnsiConsole console, TextWriter output, TextWriter error)
{
    public Command CreateTrain()
    {
        var flags = new TrainingFlags();
        var command = new Command("train", "train a model (default: bLResNet-Small on Fashion-MNIST)");
        foreach (var option in flags.All) command.Add(option);
        command.SetAction(parse => Run(flags, parse, evaluateOnly: parse.GetValue(flags.Evaluate)));
        return command;
    }

    public Command CreateEval()
    {
        var flags = new TrainingFlags();
        var command = new Command("eval", "evaluate a model's weights on the validation set");
        foreach (var option in flags.All) command.Add(option);
        command.SetAction(parse => Run(flags, parse, evaluateOnly: true));
        return command;
    }

    private int Run(TrainingFlags flags, ParseResult parse, bool evaluateOnly)
    {
        var nproc = TrainingFlags.Positive(parse.GetValue(flags.Nproc), "--nproc");
        if (nproc > 1 && evaluateOnly) throw new UsageException("--nproc applies to training; evaluate in one process");
        // The launcher re-runs this same command line in every rank; a rank sees WORLD_SIZE and trains. A wrong model,
        // spec or flag is reported once, here, rather than by every rank.
        if (nproc > 1 && !DistributedEnvironment.IsLaunched)
        {
            var plan = TrainingPlan.Resolve(ModelResolver.Resolve(parse.GetValue(flags.Model)!, catalog), flags, parse);
            // Decided once for all ranks, which inherit the decision.
            if (AdmitOneDnn(flags, parse, plan, SelectDevice(parse.GetValue(flags.Device)!, parse.GetValue(flags.Gpu))) is { } admission)
            {
                output.WriteLine(admission);
                if (OneDnn.Enabled) Environment.SetEnvironmentVariable(OneDnn.Variable, "on");
            }
            return LocalLauncher.Run(nproc, Environment.GetCommandLineArgs()[1..]);
        }
        using var ranks = DistributedEnvironment.IsLaunched && !evaluateOnly ? DistributedEnvironment.Start() : null;
        try
        {
            // Rank 0 alone reports, logs and saves.
            return Run(flags, parse, evaluateOnly, ranks, ranks is null || ranks.IsMaster ? output : TextWriter.Null);
        }
        catch (Exception e) when (ranks is not null)
        {
            // Disposing the ranks would wait in MPI's shutdown for peers that wait for this rank in their next
            // collective: the job would hang. Say what failed, then end every rank.
            foreach (var line in DslCommandLine.Describe(e) ?? [e.ToString()]) error.WriteLine(line);
            error.Flush();
            ranks.Abort(1);
            throw;
        }
    }

    private int Run(TrainingFlags flags, ParseResult parse, bool evaluateOnly, DistributedEnvironment? ranks, TextWriter output)
    {
        var isMaster = ranks is null || ranks.IsMaster;
        var entry = ModelResolver.Resolve(parse.GetValue(flags.Model)!, catalog);
        var plan = TrainingPlan.Resolve(entry, flags, parse);
        var device = SelectDevice(parse.GetValue(flags.Device)!, parse.GetValue(flags.Gpu));
        var seed = parse.GetValue(flags.Seed);
        var strict = parse.GetValue(flags.Strict);
        TorchRuntime.EnsureLoaded();
        // A launched rank inherits the launcher's decision.
        if (ranks is null && AdmitOneDnn(flags, parse, plan, device) is { } admission) output.WriteLine(admission);
        output.WriteLine(TorchRuntime.Summary);
        if (OneDnn.Notice is { } notice) output.WriteLine("warning: " + notice);
        // Ranks on one machine share its cores.
        set_num_threads(TrainingFlags.Positive(parse.GetValue(flags.Threads) ?? Math.Max(1, Environment.ProcessorCount / (ranks?.WorldSize ?? 1)), "--threads"));
        manual_seed(unchecked((long)seed));

        var data = DataSources.Create(plan, seed, strict);
        output.WriteLine($"{entry.Name}: {Format.Count(entry.ParameterCount)} parameters, {Format.Count(entry.MultiplyAdds)} MACs; {data.Description}");
        data.Train.SkippedSample += e => output.WriteLine($"warning: skipped {e.Message}");
        if (!ReferenceEquals(data.Train, data.Validation)) data.Validation.SkippedSample += e => output.WriteLine($"warning: skipped {e.Message}");

        using var model = entry.Create();
        var weights = parse.GetValue(flags.Weights);
        if (weights is not null)
        {
            var report = WeightsLoader.Load(model, weights, strict);
            if (!report.IsExact) output.WriteLine($"warning: weights '{weights}' did not match exactly: {report}");
        }

        if (evaluateOnly) return Evaluate(model, data, device, plan.InputSize, plan.Recipe);

        var logFolder = parse.GetValue(flags.LogDir) is { } logDir && isMaster ? Path.Combine(logDir, entry.Name) : null;
        var options = plan.Options(device, logFolder, ranks, parse.GetValue(flags.SyncBatchNorm));
        var resume = ResumePath(parse.GetValue(flags.Resume));
        output.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "Training {0} epochs, batch {1}, SGD Nesterov lr {2} momentum {3} wd {4}, {5} schedule{12}, {6} augmentation{13}{14}, {7} precision, {8} memory format, {9} compute threads, {10} data workers{11}",
            options.Epochs, plan.Recipe.BatchSize, options.LearningRate, options.Momentum, options.WeightDecay, options.EffectiveSchedule.Name,
            TrainingFlags.Word(plan.Recipe.Augmentation, TrainingSpec.Augmentations), TrainingFlags.Word(options.Precision, TrainingSpec.Precisions),
            TrainingFlags.Word(options.MemoryFormat, TrainingSpec.MemoryFormats),
            get_num_threads(), plan.Workers, logFolder is null ? "" : $", logging to {logFolder}",
            options.EffectiveSchedule is WarmupCosineSchedule warmup ? FormattableString.Invariant($" ({warmup.WarmupEpochs} warm-up epochs)") : "",
            options.LabelSmoothing > 0 ? FormattableString.Invariant($", label smoothing {options.LabelSmoothing}") : "",
            options.TestAugmentation == Augmentation.Flip ? ", flip-averaged evaluation" : ""));

        using var log = logFolder is null ? null : new TrainingLogWriter(logFolder, append: resume is not null,
            [$"Arguments: {string.Join(' ', parse.Tokens.Select(t => t.Value))}", $"Model: {entry.Name} ({entry.Family}), {entry.ParameterCount} parameters, {entry.MultiplyAdds} MACs"]);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var clock = Stopwatch.StartNew();
        try
        {
            var loop = (ITrainingObserver display) => new TrainingLoop(model, data.Train, data.Validation, options,
                log is null ? display : new CompositeObserver(display, log)).Run(resume, cancel.Token);
            var result = IsLiveTerminal() ? LiveProgress.Run(console, loop) : loop(new PlainProgress(output));
            var last = result.LastEpoch?.Validation;
            if (last is not null)
            {
                var what = plan.Data.StartsWith(DataSources.FashionMnistName, StringComparison.Ordinal) ? "Test" : "Validation";
                output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "{0} accuracy: {1:F2}% top-1, {2:F2}% top-5 on {3} images (best top-1 {4:F2}%), {5} epochs in {6:F1} min",
                    what, last.Top1, last.Top5, last.Samples, result.BestTop1, result.EpochsRun, clock.Elapsed.TotalMinutes));
            }
            else
            {
                output.WriteLine($"Nothing to train: the checkpoint has already finished {options.Epochs} epochs");
            }
            if (data.Train.SkippedCount > 0 || data.Validation.SkippedCount > 0)
                output.WriteLine($"warning: {data.Train.SkippedCount + data.Validation.SkippedCount} corrupt image(s) were skipped");
            return 0;
        }
        catch (OperationCanceledException)
        {
            output.WriteLine(logFolder is null
                ? "Interrupted."
                : $"Interrupted; resume with --resume {Path.Combine(logFolder, TrainingLoop.CheckpointFileName)}");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Evaluates the model's generated inference form (batch norm folded, the asked precision and layout); a model
    /// without one is evaluated as it is, under the training precision policy, NHWC when asked. Both see the recipe's test augmentation.</summary>
    private int Evaluate(nn.Module<Tensor, Tensor> model, DataSources data, Device device, int inputSize, TrainingRecipe recipe)
    {
        var (precision, memoryFormat) = (recipe.Precision, recipe.MemoryFormat);
        if (device.type != DeviceType.CPU) model.to(device);
        model.eval();
        EpochMetrics metrics;
        if (model is IHasInferenceForm)
        {
            var dataset = data.Validation.Dataset;
            var (form, chosenPrecision, layout) = InferenceFormChoice.Build(model, precision, memoryFormat,
                [data.Validation.BatchSize, dataset.Channels, dataset.Height, dataset.Width], device);
            using (form)
            {
                output.WriteLine($"Inference form: {chosenPrecision}, {layout}");
                if (chosenPrecision.Warning is { } warning) output.WriteLine("warning: " + warning);
                metrics = Evaluator.Evaluate(form, data.Validation, device, testAugmentation: recipe.TestAugmentation);
            }
        }
        else
        {
            var channelsLast = memoryFormat == MemoryFormat.Nhwc;
            if (channelsLast) model.ToChannelsLast();
            metrics = Evaluator.Evaluate(model, data.Validation, device, channelsLast, PrecisionPolicy.Resolve(precision, device),
                testAugmentation: recipe.TestAugmentation);
        }
        output.WriteLine(LogLines.Evaluation(inputSize, metrics));
        return 0;
    }

    private static string? AdmitOneDnn(TrainingFlags flags, ParseResult parse, TrainingPlan plan, Device device) =>
        OneDnnAdmission.Decide(parse.GetValue(flags.Model)!, plan.Model, plan.InputSize, plan.Recipe.BatchSize, plan.Recipe.Precision,
            plan.Recipe.MemoryFormat, device);

    private bool IsLiveTerminal() =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;

    private static Device SelectDevice(string device, string? gpus)
    {
        if (gpus is null) return ParseDevice(device);
        var ids = gpus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0 || ids.Any(id => !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new UsageException($"--gpu '{gpus}' is not a list of GPU numbers such as 0,1");
        // As the original: the listed GPUs become CUDA's visible devices, numbered from 0.
        Environment.SetEnvironmentVariable("CUDA_VISIBLE_DEVICES", string.Join(',', ids));
        return ParseDevice("cuda:0");
    }

    private static Device ParseDevice(string text)
    {
        Device device;
        try
        {
            device = torch.device(text);
        }
        catch (ArgumentException e) { throw new UsageException($"--device '{text}': {e.Message}"); }
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new UsageException($"--device '{text}': CUDA is not available in this build (build with -p:DslTorchBackend=cuda on a CUDA machine)");
        return device;
    }

    private static string? ResumePath(string? resume)
    {
        if (resume is null) return null;
        var path = Directory.Exists(resume) ? Path.Combine(resume, TrainingLoop.CheckpointFileName) : resume;
        if (!File.Exists(path)) throw new UsageException($"checkpoint '{path}' does not exist");
        return path;
    }
}
