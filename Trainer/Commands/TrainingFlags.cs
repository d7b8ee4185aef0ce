using System.CommandLine;
using System.Globalization;
using Dsl.Generator.Specs;
using Dsl.Runtime.Compute;

namespace Dsl.Trainer.Commands;

/// <summary>The original script's flags (defaults that depend on the model are left null here).</summary>
public sealed class TrainingFlags
{
    public Option<string> Model { get; } = CliContext.ModelOption();
    public Option<string?> Data { get; } = new("--data")
    { Description = "fashion-mnist (default for 1x28x28 models), synthetic, or an ImageFolder root with train/ and val/" };
    public Option<int?> Epochs { get; } = Recipe<int?>(TrainingFields.Epochs);
    public Option<int?> BatchSize { get; } = Recipe<int?>(TrainingFields.BatchSize);
    public Option<double?> LearningRate { get; } = Recipe<double?>(TrainingFields.LearningRate);
    public Option<string?> Scheduler { get; } = Recipe<string?>(TrainingFields.Schedule);
    public Option<double?> WarmupEpochs { get; } = Recipe<double?>(TrainingFields.WarmupEpochs);
    public Option<double?> LabelSmoothing { get; } = Recipe<double?>(TrainingFields.LabelSmoothing);
    public Option<double?> Momentum { get; } = Recipe<double?>(TrainingFields.Momentum);
    public Option<double?> WeightDecay { get; } = Recipe<double?>(TrainingFields.WeightDecay);
    public Option<string?> TestAugmentation { get; } = Recipe<string?>(TrainingFields.TestAugmentation);
    public Option<int?> Holdout { get; } = Recipe<int?>(TrainingFields.Holdout);
    public Option<double?> Ema { get; } = Recipe<double?>(TrainingFields.Ema);
    public Option<bool> EmaWeights { get; } = new("--ema-weights")
    { Description = "take --weights' moving average of the weights (its ema_state_dict) instead of its state_dict" };
    public Option<int?> Workers { get; } = new("--workers", "-j") { Description = "data-loading threads" };
    public Option<int?> InputSize { get; } = new("--input-size", "--input_shape") { Description = "input side in pixels (the model's)" };
    public Option<string?> Resume { get; } = new("--resume") { Description = "checkpoint to continue from (or a log folder holding checkpoint.pth.tar)" };
    public Option<bool> Evaluate { get; } = new("--evaluate", "-e") { Description = "only evaluate on the validation set" };
    public Option<string?> Weights { get; } = new("--weights") { Description = "initial weights: a PyTorch state dict / checkpoint or one of ours" };
    public Option<string?> LogDir { get; } = new("--logdir") { Description = "write log.log, metrics.csv, TensorBoard events and checkpoints under LOGDIR/<model>" };
    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
    public Option<string?> Gpu { get; } = new("--gpu") { Description = "GPUs to use, e.g. 0,1 (sets CUDA_VISIBLE_DEVICES and --device cuda)" };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "seed of initialization, shuffling and augmentation", DefaultValueFactory = _ => 0 };
    public Option<bool> Strict { get; } = new("--strict") { Description = "fail on a corrupt image or an inexact weights file instead of skipping / reporting" };
    public Option<int?> Threads { get; } = new("--threads") { Description = "libtorch compute threads (all cores)" };
    public Option<string?> Precision { get; } = Recipe<string?>(TrainingFields.Precision);
    public Option<string?> MemoryFormat { get; } = Recipe<string?>(TrainingFields.MemoryFormat);
    public Option<bool> ChannelsLast { get; } = new("--channels-last") { Description = "the same as --memory-format nhwc" };
    public Option<int> Nproc { get; } = new("--nproc")
    { Description = "data-parallel ranks to start on this machine through mpirun (or start ranks with mpirun yourself)", DefaultValueFactory = _ => 1 };
    public Option<string> DistBackend { get; } = new("--dist-backend")
    { Description = "collective backend of data-parallel training (Open MPI)", DefaultValueFactory = _ => "mpi" };
    public Option<bool> SyncBatchNorm { get; } = new("--sync-bn") { Description = "batch-norm statistics over all ranks' batches" };

    public TrainingFlags() => DistBackend.AcceptOnlyFromAmong("mpi");

    /// <summary>The flag that overrides a field of the spec's training recipe, as <see cref="TrainingFields"/> describes it.</summary>
    private static Option<T> Recipe<T>(TrainingField field)
    {
        var option = new Option<T>(field.Flags[0], [.. field.Flags.Skip(1)]) { Description = field.FlagHelp };
        if (field.Choices is { } choices) option.AcceptOnlyFromAmong([.. choices.Select(c => c.Key)]);
        return option;
    }

    public IEnumerable<Option> All =>
    [
        Model, Data, Epochs, BatchSize, LearningRate, Scheduler, WarmupEpochs, LabelSmoothing, Momentum, TestAugmentation, WeightDecay, Holdout, Ema, Workers, InputSize, Resume, Evaluate,
        Weights, EmaWeights, LogDir, Device, Gpu, Seed, Strict, Threads, Precision, MemoryFormat, ChannelsLast, Nproc, DistBackend, SyncBatchNorm,
    ];

    /// <summary>A choice as a spec or a flag spells it ("crop-flip") as the runtime's enum member (CropFlip).</summary>
    public static T ParseChoice<T>(string word, IReadOnlyList<KeyValuePair<string, string>> choices) where T : struct, Enum =>
        Enum.Parse<T>(choices.First(c => c.Key == word).Value);

    /// <summary>The value a flag gives a choice of the recipe, or <paramref name="current"/> without the flag.</summary>
    public static T Choice<T>(ParseResult parse, Option<string?> option, TrainingField field, T current) where T : struct, Enum =>
        parse.GetValue(option) is { } word ? ParseChoice<T>(word, field.Choices!) : current;

    /// <summary>A flag's value, or a usage error naming the flag when it is not positive.</summary>
    public static int Positive(int value, string flag) =>
        value > 0 ? value : throw new UsageException($"{flag} must be positive, not {value}");

    /// <summary>A number of the recipe, or a usage error naming the field's flag when it is outside the field's range.</summary>
    public static T InRange<T>(T value, TrainingField field) where T : IConvertible =>
        field.Range!.Contains(value.ToDouble(CultureInfo.InvariantCulture))
            ? value
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{field.Flags[0]} must be {field.Range.Text}, not {value}"));

    /// <summary>The spelling of a choice in a spec or a flag.</summary>
    public static string Word(Enum value, IReadOnlyList<KeyValuePair<string, string>> choices) =>
        choices.First(c => c.Value == value.ToString()).Key;
}
