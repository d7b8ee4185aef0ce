using System.CommandLine;
using Dsl.Generator.Specs;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Models;
using Dsl.Runtime.Training;
using Dsl.Trainer.Commands;

namespace Dsl.Trainer.Setup;

/// <summary>
/// What a train or eval run does, resolved once: the model's training recipe (its spec's <c>training:</c>
/// section) with every value the command line gives taking its place, and the run's data and workers.
/// </summary>
public sealed record TrainingPlan(ModelInfo Model, TrainingRecipe Recipe, string Data, int InputSize, int Workers)
{
    public static TrainingPlan Resolve(ModelInfo model, TrainingFlags flags, ParseResult parse)
    {
        var recipe = model.Training;
        var memoryFormat = parse.GetValue(flags.MemoryFormat);
        if (parse.GetValue(flags.ChannelsLast))
        {
            if (memoryFormat is not null and not "nhwc")
                throw new UsageException($"--channels-last and --memory-format {memoryFormat} contradict each other");
            memoryFormat = "nhwc";
        }
        recipe = recipe with
        {
            Epochs = TrainingFlags.Positive(parse.GetValue(flags.Epochs) ?? recipe.Epochs, TrainingFields.Epochs.Flags[0]),
            BatchSize = TrainingFlags.Positive(parse.GetValue(flags.BatchSize) ?? recipe.BatchSize, TrainingFields.BatchSize.Flags[0]),
            LearningRate = parse.GetValue(flags.LearningRate) ?? recipe.LearningRate,
            Momentum = parse.GetValue(flags.Momentum) ?? recipe.Momentum,
            WeightDecay = parse.GetValue(flags.WeightDecay) ?? recipe.WeightDecay,
            Schedule = TrainingFlags.Choice(parse, flags.Scheduler, TrainingFields.Schedule, recipe.Schedule),
            WarmupEpochs = parse.GetValue(flags.WarmupEpochs) ?? recipe.WarmupEpochs,
            LabelSmoothing = TrainingFlags.InRange(parse.GetValue(flags.LabelSmoothing) ?? recipe.LabelSmoothing, TrainingFields.LabelSmoothing),
            TestAugmentation = TrainingFlags.Choice(parse, flags.TestAugmentation, TrainingFields.TestAugmentation, recipe.TestAugmentation),
            Precision = TrainingFlags.Choice(parse, flags.Precision, TrainingFields.Precision, recipe.Precision),
            MemoryFormat = memoryFormat is not null
                ? TrainingFlags.ParseChoice<MemoryFormat>(memoryFormat, TrainingFields.MemoryFormat.Choices!)
                : recipe.MemoryFormat,
            Holdout = TrainingFlags.InRange(parse.GetValue(flags.Holdout) ?? recipe.Holdout, TrainingFields.Holdout),
            Ema = TrainingFlags.InRange(parse.GetValue(flags.Ema) ?? recipe.Ema, TrainingFields.Ema),
        };

        if (recipe.WarmupEpochs < 0) throw new UsageException($"{TrainingFields.WarmupEpochs.Flags[0]} cannot be negative");

        var smallInput = Math.Max(model.InputHeight, model.InputWidth) <= 64;
        var data = parse.GetValue(flags.Data) ?? (smallInput && model.InputChannels == 1 ? DataSources.FashionMnistName : null)
            ?? throw new UsageException($"{model.Name} needs --data: an ImageFolder root with train/ and val/ (or 'synthetic' for a smoke run)");
        // Small images decode faster than one worker can hand them over; ImageNet-sized ones need many.
        var workers = Math.Min(parse.GetValue(flags.Workers) ?? (smallInput ? 1 : 18), Environment.ProcessorCount);
        if (workers < 0) throw new UsageException("--workers cannot be negative");
        return new TrainingPlan(model, recipe, data, parse.GetValue(flags.InputSize) ?? model.InputHeight, workers);
    }

    /// <summary>The options of the training loop for this plan.</summary>
    public TrainingOptions Options(Device device, string? logFolder, Runtime.Distributed.DistributedEnvironment? ranks, bool syncBatchNorm) => new()
    {
        Recipe = Recipe,
        Device = device,
        LogFolder = logFolder,
        Architecture = Model.Name,
        Distributed = ranks,
        SyncBatchNorm = syncBatchNorm,
    };
}
