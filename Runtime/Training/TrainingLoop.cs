using System.Diagnostics;
using Dsl.Runtime.Checkpoints;
using Dsl.Runtime.Data;
using Dsl.Runtime.Distributed;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Platform;
using SGD = TorchSharp.Modules.SGD;

namespace Dsl.Runtime.Training;

/// <summary>What a finished run reached.</summary>
public sealed record TrainingResult(int EpochsRun, EpochReport? LastEpoch, double BestTop1);

/// <summary>
/// The original script's loop: per epoch, set the scheduled learning rate, train one pass (cross-entropy,
/// SGD), validate, keep the best top-1, and save a checkpoint (plus model_best when it improved). With
/// <see cref="TrainingOptions.Ema"/> a <see cref="WeightAverage"/> follows every step and is validated after the live
/// weights; the best top-1 stays the live weights'.
/// With <see cref="TrainingOptions.Distributed"/> every rank trains on its shard of each epoch, gradients
/// are averaged across ranks before each step, metrics cover all ranks, and only the master saves.
/// </summary>
public sealed class TrainingLoop(nn.Module<Tensor, Tensor> model, DataLoader train, DataLoader? validation, TrainingOptions options,
    ITrainingObserver? observer = null)
{
    public const string CheckpointFileName = "checkpoint.pth.tar";
    public const string BestFileName = "model_best.pth.tar";

    private readonly ITrainingObserver observer = observer ?? new NullObserver();
    private Choice<Precision> precision = Choice.AsAsked(Precision.Float32);
    private Choice<MemoryFormat> layout = Choice.AsAsked(MemoryFormat.Nchw);

    /// <summary>Trains from epoch 0, or from where <paramref name="resumeFrom"/> stopped.</summary>
    public TrainingResult Run(string? resumeFrom = null, CancellationToken cancel = default)
    {
        TorchRuntime.EnsureLoaded();
        if (options.Device.type != DeviceType.CPU) model.to(options.Device);
        model.train();
        var ranks = options.Distributed is { IsDistributed: true } environment ? environment : null;
        precision = PrecisionPolicy.Resolve(options.Precision, options.Device);
        observer.Note(precision.ToString());
        if (precision.Warning is { } warning) observer.Warning(warning);
        layout = ChooseLayout(ranks);
        observer.Note(layout.ToString());
        using var sgd = options.CreateOptimizer(model);
        var schedule = options.EffectiveSchedule;
        var (startEpoch, best, startedParallel, startedAverage) = Start(resumeFrom, sgd, ranks);
        using var parallel = startedParallel;
        using var average = startedAverage;
        var trainData = ranks is null ? train : train.WithSampler(new DistributedSampler(train.Dataset.Count, ranks, train.Shuffle, train.Seed));
        var validationData = ranks is null || validation is null
            ? validation
            : validation.WithSampler(new DistributedSampler(validation.Dataset.Count, ranks, shuffle: false));

        EpochReport? last = null;
        var epochsRun = 0;
        for (var epoch = startEpoch; epoch < options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var learningRate = schedule.At(epoch);
            var trainMetrics = AcrossRanks(ranks, TrainEpoch(trainData, parallel, sgd, average, schedule, epoch, cancel), $"epoch {epoch + 1}, training metrics");
            var valMetrics = validationData is null ? null : Validate(validationData, ranks, $"epoch {epoch + 1}, validation metrics");
            EpochMetrics? emaMetrics = null;
            if (average is not null && validationData is not null)
            {
                // The averaged weights evaluated in the live model's place; every rank's average is the same, so they agree.
                using (average.Apply(model)) emaMetrics = Validate(validationData, ranks, $"epoch {epoch + 1}, averaged weights' validation metrics");
            }
            var top1 = valMetrics?.Top1 ?? trainMetrics.Top1;
            var isBest = top1 > best || epoch == 0 && best == 0;
            best = Math.Max(best, top1);
            last = new EpochReport(epoch, options.Epochs, learningRate, trainMetrics, valMetrics, best, isBest, emaMetrics);
            if (ranks is null || ranks.IsMaster) SaveCheckpoint(sgd, average, schedule, epoch + 1, best, isBest);
            observer.EpochCompleted(last);
            epochsRun++;
        }
        return new TrainingResult(epochsRun, last, best);
    }

    /// <summary>Restores a checkpoint (when resuming), then joins the ranks and starts the weights' average, in that order: the
    /// ranks take rank 0's restored weights, and the average starts from those (or from the checkpoint's average).</summary>
    private (int Epoch, double Best, DistributedDataParallel? Parallel, WeightAverage? Average) Start(string? resumeFrom, SGD sgd,
        DistributedEnvironment? ranks)
    {
        using var resumed = resumeFrom is null ? null : TrainingCheckpoint.Load(resumeFrom);
        var (epoch, best) = resumed is null ? (0, 0.0) : Restore(resumed, sgd);
        var parallel = ranks is null ? null : new DistributedDataParallel(model, ranks.Group!, options.SyncBatchNorm);
        WeightAverage? average = null;
        try
        {
            if (options.Ema > 0) average = new WeightAverage(model, options.Ema);
            if (resumed is not null) ContinueAverage(resumed, average);
            return (epoch, best, parallel, average);
        }
        catch
        {
            average?.Dispose();
            parallel?.Dispose();
            throw;
        }
    }

    // A resumed run continues the checkpoint's average exactly; a run that changed its mind about --ema says so.
    private void ContinueAverage(TrainingCheckpoint resumed, WeightAverage? average)
    {
        if (average is not null && resumed.EmaStateDict is not null) average.Restore(resumed);
        else if (average is not null)
            observer.Warning($"checkpoint '{resumed.FilePath}' has no moving average of the weights; the average starts from its weights");
        else if (resumed.EmaStateDict is not null)
            observer.Warning($"checkpoint '{resumed.FilePath}' holds a moving average of the weights; without --ema it is not continued");
    }

    // A generated model is validated through its inference form, as `dsl eval` evaluates it: batch norm folded into the
    // convolutions, in the training precision and layout (a float32 NHWC batch of bLResNet-Small under DSL_CPU=avx2: 12 ms
    // against 19 ms for the model itself in eval mode). Built from the weights of the moment, disposed right after.
    private EpochMetrics Validate(DataLoader data, DistributedEnvironment? ranks, string what)
    {
        EpochMetrics metrics;
        if (model is IHasInferenceForm generated)
        {
            using var form = generated.ForInference(precision.Value, layout.Value);
            metrics = Evaluator.Evaluate(form, data, options.Device, testAugmentation: options.TestAugmentation);
        }
        else
        {
            metrics = Evaluator.Evaluate(model, data, options.Device, layout.IsChannelsLast(), precision, testAugmentation: options.TestAugmentation);
        }
        return AcrossRanks(ranks, metrics, what);
    }

    private EpochMetrics TrainEpoch(DataLoader data, DistributedDataParallel? parallel, SGD sgd, WeightAverage? average,
        LearningRateSchedule schedule, int epoch, CancellationToken cancel)
    {
        var steps = data.BatchesPerEpoch;
        observer.EpochStarted(epoch, options.Epochs, steps, schedule.At(epoch));
        var metrics = new MetricAccumulator();
        var clock = Stopwatch.StartNew();
        // Ranks take every step, empty batches included, so that their collectives pair up.
        using var batches = (parallel is null ? data.Epoch(epoch) : data.Steps(epoch)).GetEnumerator();
        var trainedSamples = 0;
        while (true)
        {
            clock.Restart();
            if (!batches.MoveNext()) break;
            using var batch = batches.Current;
            var dataTime = clock.Elapsed;
            cancel.ThrowIfCancellationRequested();
            var stepSamples = parallel is null ? batch.Count : SamplesAcrossRanks(parallel.Group, batch, epoch, steps);
            // Every rank skips a step that has no sample anywhere.
            if (stepSamples == 0) continue;
            trainedSamples += stepSamples;
            using var pause = CollectorPause.Start();
            // One scope per step: every activation, gradient handle and temporary dies here, so memory stays flat.
            using var scope = NewDisposeScope();
            var (images, labels) = batch.To(options.Device, layout.IsChannelsLast());
            var learningRate = schedule.At(epoch + (double)batch.Index / steps);
            foreach (var group in sgd.ParamGroups) group.LearningRate = learningRate;
            var (logits, loss) = TrainingStep.Run(model, sgd, images, labels, precision, options.LabelSmoothing,
                parallel is null ? null : parallel.SynchronizeGradients, parallel?.LossWeight(batch.Count, stepSamples) ?? 1);
            average?.Update(model);
            var lossValue = loss.item<float>();
            if (!double.IsFinite(lossValue))
                throw new InvalidOperationException($"the loss became {lossValue} at epoch {epoch + 1}, step {batch.Index + 1}; lower --lr");
            var (top1, top5) = Accuracy.Count(logits, batch.LabelValues);
            metrics.Add(lossValue, batch.Count, top1, top5, dataTime, clock.Elapsed);
            observer.StepCompleted(new StepProgress(epoch, options.Epochs, batch.Index + 1, steps, metrics.Loss, metrics.Top1,
                metrics.Samples / Math.Max(1e-9, metrics.Elapsed.TotalSeconds)));
        }
        if (trainedSamples == 0) throw new DataException($"epoch {epoch + 1} produced no batches (every sample was skipped)");
        return metrics.ToMetrics();
    }

    // The step's samples over every rank: all ranks learn it, so they agree on the step and on each one's share of it.
    private static int SamplesAcrossRanks(ProcessGroup group, Batch batch, int epoch, int steps)
    {
        group.Step = $"epoch {epoch + 1}, step {batch.Index + 1} of {steps}";
        Span<double> samples = [batch.Count];
        group.AllReduceSum(samples);
        return (int)samples[0];
    }

    /// <summary>Lays the model out as <see cref="TrainingOptions.MemoryFormat"/> asks (Auto measures both layouts first).</summary>
    private Choice<MemoryFormat> ChooseLayout(DistributedEnvironment? ranks) =>
        MemoryFormatProbe.Apply(options.MemoryFormat, model, [train.BatchSize, train.Dataset.Channels, train.Dataset.Height, train.Dataset.Width],
            options, precision, ranks);

    /// <summary>Per-sample averages over every rank's samples (this rank's alone when training alone).</summary>
    private static EpochMetrics AcrossRanks(DistributedEnvironment? ranks, EpochMetrics metrics, string what)
    {
        if (ranks is null) return metrics;
        ranks.Group!.Step = what;
        // A rank whose every sample was skipped has NaN means and adds nothing.
        double Sum(double mean) => metrics.Samples == 0 ? 0 : mean * metrics.Samples;
        var sums = ranks.SumAcrossRanks(Sum(metrics.Loss), Sum(metrics.Top1), Sum(metrics.Top5), metrics.Samples);
        var samples = sums[3];
        return metrics with { Loss = sums[0] / samples, Top1 = sums[1] / samples, Top5 = sums[2] / samples, Samples = (int)samples };
    }

    private (int Epoch, double Best) Restore(TrainingCheckpoint checkpoint, SGD sgd)
    {
        var (progress, path) = (checkpoint.Progress, checkpoint.FilePath);
        if (progress.Arch != options.Architecture)
        {
            // The original script names architectures its own way (ImageNet-bLResNet-50-a2-b4), so a different
            // name is only fatal when the weights do not fit either.
            var report = checkpoint.LoadWeightsInto(model, strict: false);
            if (!report.IsExact)
                throw new InvalidOperationException($"checkpoint '{path}' is of '{progress.Arch}', not '{options.Architecture}': {report}");
            observer.Warning($"checkpoint '{path}' names its model '{progress.Arch}'; its weights fit {options.Architecture}");
        }
        else
        {
            checkpoint.LoadWeightsInto(model, strict: true);
        }
        if (checkpoint.Optimizer is not null) checkpoint.RestoreOptimizer(sgd);
        else observer.Warning($"checkpoint '{path}' has no optimizer state; momentum restarts from zero");
        if (progress.RngState is { } rng)
        {
            using var state = tensor(rng);
            set_rng_state(state);
        }
        return (progress.Epoch, progress.BestTop1);
    }

    private void SaveCheckpoint(SGD sgd, WeightAverage? average, LearningRateSchedule schedule, int epochsDone, double best, bool isBest)
    {
        if (options.LogFolder is null) return;
        var path = Path.Combine(options.LogFolder, CheckpointFileName);
        using var rng = get_rng_state();
        var progress = new TrainingProgress(epochsDone, options.Architecture, best, schedule.Name, rng.data<byte>().ToArray());
        TrainingCheckpoint.Save(path, progress, model, sgd, average?.Saved);
        if (isBest) CopyBest(path, Path.Combine(options.LogFolder, BestFileName));
    }

    // The checkpoint is saved, so training can go on without its copy; a later best epoch tries again.
    private void CopyBest(string checkpoint, string best)
    {
        try
        {
            AtomicFile.Copy(checkpoint, best);
        }
        catch (CheckpointException e)
        {
            observer.Warning($"could not copy the best epoch's checkpoint: {e.Message}; training goes on, and '{checkpoint}' holds this epoch");
        }
    }

    private sealed class NullObserver : ITrainingObserver;
}
