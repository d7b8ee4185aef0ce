using System.CommandLine;
using System.Diagnostics;
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
using Dsl.Trainer.Progress;
using Dsl.Trainer.Setup;

namespace Dsl.Trainer.Commands;

/// <summary><c>dsl train</c>: the original script's train flow (or, with --evaluate, its evaluation).</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context) =>
        TrainingRun.CreateCommand(context, "train", "train a model (default: bLResNet-Small on Fashion-MNIST)",
            (flags, parse) => parse.GetValue(flags.Evaluate));
}

/// <summary><c>dsl eval</c>: a model's weights evaluated on the validation set.</summary>
public static class EvalCommand
{
    public static Command Create(CliContext context) =>
        TrainingRun.CreateCommand(context, "eval", "evaluate a model's weights on the validation set", (_, _) => true);
}

/// <summary>
/// One run of <c>train</c> or <c>eval</c>, in the order it happens: launch the ranks, resolve the plan, admit oneDNN,
/// set threads and seed, build the data, load the weights, then train or evaluate, and report.
/// </summary>
internal sealed class TrainingRun(CliContext context, TrainingFlags flags, ParseResult parse)
{
    /// <summary>What the run resolved before it touches data: the model, the plan, the device, and the writer of this rank.</summary>
    private sealed record RunSetup(ModelInfo Entry, TrainingPlan Plan, Device Device, DistributedEnvironment? Ranks, TextWriter Output)
    {
        public bool IsMaster => Ranks is null || Ranks.IsMaster;
    }

    public static Command CreateCommand(CliContext context, string name, string description, Func<TrainingFlags, ParseResult, bool> evaluateOnly)
    {
        var flags = new TrainingFlags();
        var command = new Command(name, description);
        foreach (var option in flags.All) command.Add(option);
        command.SetAction(parse => new TrainingRun(context, flags, parse).Launch(evaluateOnly(flags, parse)));
        return command;
    }

    private T Get<T>(Option<T> option) => parse.GetValue(option)!;

    /// <summary>Starts the ranks of --nproc through the launcher, or runs this process's rank (or the only one).</summary>
    private int Launch(bool evaluateOnly)
    {
        var nproc = TrainingFlags.Positive(Get(flags.Nproc), "--nproc");
        if (nproc > 1 && evaluateOnly) throw new UsageException("--nproc applies to training; evaluate in one process");
        // The launcher re-runs this same command line in every rank; a rank sees WORLD_SIZE and trains. A wrong model,
        // spec or flag is reported once, here, rather than by every rank.
        if (nproc > 1 && !DistributedEnvironment.IsLaunched)
        {
            var plan = ResolvePlan();
            // Decided once for all ranks, which inherit the decision.
            if (AdmitOneDnn(plan, SelectDevice()) is { } admission)
            {
                context.Output.WriteLine(admission);
                if (OneDnn.Enabled) Environment.SetEnvironmentVariable(OneDnn.Variable, "on");
            }
            return LocalLauncher.Run(nproc, Environment.GetCommandLineArgs()[1..]);
        }
        using var ranks = DistributedEnvironment.IsLaunched && !evaluateOnly ? DistributedEnvironment.Start() : null;
        try
        {
            // Rank 0 alone reports, logs and saves.
            return Run(evaluateOnly, ranks, ranks is null || ranks.IsMaster ? context.Output : TextWriter.Null);
        }
        catch (Exception e) when (ranks is not null)
        {
            // Disposing the ranks would wait in MPI's shutdown for peers that wait for this rank in their next
            // collective: the job would hang. Say what failed, then end every rank.
            foreach (var line in DslCommandLine.Describe(e) ?? [e.ToString()]) context.Error.WriteLine(line);
            context.Error.Flush();
            ranks.Abort(1);
            throw;
        }
    }

    private int Run(bool evaluateOnly, DistributedEnvironment? ranks, TextWriter output)
    {
        var setup = Prepare(ranks, output);
        var data = BuildData(setup);
        using var model = LoadWeights(setup);
        return evaluateOnly ? Evaluate(setup, model, data) : Train(setup, model, data);
    }

    private TrainingPlan ResolvePlan() => TrainingPlan.Resolve(context.ResolveModel(Get(flags.Model)), flags, parse);

    private Device SelectDevice() => CliContext.SelectDevice(Get(flags.Device), parse.GetValue(flags.Gpu));

    private string? AdmitOneDnn(TrainingPlan plan, Device device) =>
        OneDnnAdmission.Decide(Get(flags.Model), plan.Model, plan.InputSize, plan.Recipe.BatchSize, plan.Recipe.Precision,
            plan.Recipe.MemoryFormat, device);

    /// <summary>Resolves the plan and the device, loads libtorch, admits oneDNN, and sets the threads and the seed.</summary>
    private RunSetup Prepare(DistributedEnvironment? ranks, TextWriter output)
    {
        var plan = ResolvePlan();
        var setup = new RunSetup(plan.Model, plan, SelectDevice(), ranks, output);
        TorchRuntime.EnsureLoaded();
        // A launched rank inherits the launcher's decision.
        if (ranks is null && AdmitOneDnn(plan, setup.Device) is { } admission) output.WriteLine(admission);
        output.WriteLine(TorchRuntime.Summary);
        if (OneDnn.Notice is { } notice) output.WriteLine("warning: " + notice);
        // Ranks on one machine share its cores.
        var threads = parse.GetValue(flags.Threads) ?? Math.Max(1, Environment.ProcessorCount / (ranks?.WorldSize ?? 1));
        set_num_threads(TrainingFlags.Positive(threads, "--threads"));
        manual_seed(unchecked((long)Get(flags.Seed)));
        return setup;
    }

    private DataSources BuildData(RunSetup setup)
    {
        var (entry, output) = (setup.Entry, setup.Output);
        var data = DataSources.Create(setup.Plan, Get(flags.Seed), Get(flags.Strict));
        output.WriteLine($"{entry.Name}: {Format.Count(entry.ParameterCount)} parameters, {Format.Count(entry.MultiplyAdds)} MACs; {data.Description}");
        data.Train.SkippedSample += e => output.WriteLine($"warning: skipped {e.Message}");
        if (!ReferenceEquals(data.Train, data.Validation)) data.Validation.SkippedSample += e => output.WriteLine($"warning: skipped {e.Message}");
        return data;
    }

    /// <summary>The model, with the weights of --weights (their average with --ema-weights) where given.</summary>
    private nn.Module<Tensor, Tensor> LoadWeights(RunSetup setup)
    {
        var model = setup.Entry.Create();
        try
        {
            WeightsLoader.Load(model, flags, parse, setup.Output);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private int Train(RunSetup setup, nn.Module<Tensor, Tensor> model, DataSources data)
    {
        var (entry, plan, output) = (setup.Entry, setup.Plan, setup.Output);
        var logFolder = parse.GetValue(flags.LogDir) is { } logDir && setup.IsMaster ? Path.Combine(logDir, entry.Name) : null;
        var options = plan.Options(setup.Device, logFolder, setup.Ranks, Get(flags.SyncBatchNorm));
        var resume = ResumePath(parse.GetValue(flags.Resume));
        output.WriteLine(Describe(options, plan, logFolder));

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
                log is null ? display : Logged(display, log, resume is not null)).Run(resume, cancel.Token);
            var result = IsLiveTerminal() ? LiveProgress.Run(context.Console, loop) : loop(new PlainProgress(output));
            Report(output, plan, options, data, result, clock.Elapsed);
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

    /// <summary>The line that says what the training will do.</summary>
    private static string Describe(TrainingOptions options, TrainingPlan plan, string? logFolder)
    {
        var schedule = options.EffectiveSchedule;
        string?[] parts =
        [
            Invariant($"Training {options.Epochs} epochs"),
            Invariant($"batch {plan.Recipe.BatchSize}"),
            Invariant($"SGD Nesterov lr {options.LearningRate} momentum {options.Momentum} wd {options.WeightDecay}"),
            $"{schedule.Name} schedule" + (schedule is WarmupCosineSchedule warmup ? Invariant($" ({warmup.WarmupEpochs} warm-up epochs)") : ""),
            $"{TrainingFlags.Word(plan.Recipe.Augmentation, TrainingSpec.Augmentations)} augmentation",
            options.LabelSmoothing > 0 ? Invariant($"label smoothing {options.LabelSmoothing}") : null,
            options.TestAugmentation == Augmentation.Flip ? "flip-averaged evaluation" : null,
            options.Ema > 0 ? Invariant($"EMA decay {options.Ema}") : null,
            $"{TrainingFlags.Word(options.Precision, TrainingSpec.Precisions)} precision",
            $"{TrainingFlags.Word(options.MemoryFormat, TrainingSpec.MemoryFormats)} memory format",
            Invariant($"{get_num_threads()} compute threads"),
            Invariant($"{plan.Workers} data workers"),
            logFolder is null ? null : $"logging to {logFolder}",
        ];
        return string.Join(", ", parts.OfType<string>());
    }

    /// <summary>The final accuracy (or why nothing was trained) and the count of skipped images.</summary>
    private static void Report(TextWriter output, TrainingPlan plan, TrainingOptions options, DataSources data, TrainingResult result, TimeSpan elapsed)
    {
        if (result.LastEpoch?.Validation is { } last)
        {
            var what = plan.Recipe.Holdout > 0 ? "Held-out validation"
                : plan.Data.StartsWith(DataSources.FashionMnistName, StringComparison.Ordinal) ? "Test" : "Validation";
            output.WriteLine(Invariant($"{what} accuracy: {last.Top1:F2}% top-1, {last.Top5:F2}% top-5 on {last.Samples} images (best top-1 {result.BestTop1:F2}%), ")
                + Invariant($"{result.EpochsRun} epochs in {elapsed.TotalMinutes:F1} min"));
            if (result.LastEpoch.EmaValidation is { } ema)
                output.WriteLine(Invariant($"EMA {what.ToLowerInvariant()} accuracy: {ema.Top1:F2}% top-1, {ema.Top5:F2}% top-5 on {ema.Samples} images (decay {options.Ema})"));
        }
        else
        {
            output.WriteLine($"Nothing to train: the checkpoint has already finished {options.Epochs} epochs");
        }
        if (data.Train.SkippedCount > 0 || data.Validation.SkippedCount > 0)
            output.WriteLine($"warning: {data.Train.SkippedCount + data.Validation.SkippedCount} corrupt image(s) were skipped");
    }

    /// <summary>Evaluates the model's generated inference form (batch norm folded, the asked precision and layout); a model
    /// without one is evaluated as it is, under the training precision policy, NHWC when asked. Both see the recipe's test augmentation.</summary>
    private int Evaluate(RunSetup setup, nn.Module<Tensor, Tensor> model, DataSources data)
    {
        var (device, recipe, output) = (setup.Device, setup.Plan.Recipe, setup.Output);
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
        output.WriteLine(LogLines.Evaluation(setup.Plan.InputSize, metrics));
        return 0;
    }

    /// <summary>The display, the log files and curves.png; the curves warn through the first two.</summary>
    private static CompositeObserver Logged(ITrainingObserver display, TrainingLogWriter log, bool resumed)
    {
        var both = new CompositeObserver(display, log);
        return new CompositeObserver(both, new TrainingCurves(log.Folder, resumed, both.Warning));
    }

    private bool IsLiveTerminal() =>
        ReferenceEquals(context.Output, Console.Out) && !Console.IsOutputRedirected && context.Console.Profile.Capabilities.Interactive;

    private static string? ResumePath(string? resume)
    {
        if (resume is null) return null;
        var path = Directory.Exists(resume) ? Path.Combine(resume, TrainingLoop.CheckpointFileName) : resume;
        if (!File.Exists(path)) throw new UsageException($"checkpoint '{path}' does not exist");
        return path;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
