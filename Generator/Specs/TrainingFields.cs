using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Dsl.Generator.Specs;

/// <summary>
/// One field of a spec's <c>training:</c> section: its key, its JSON type, its default as a spec spells it, what it
/// sets, and the command-line flag that overrides it. The parser's keys, the trainer's flags and their help come from
/// here; tests hold structures/schema.json, structures/README.md, docs/training.md and the runtime's
/// <c>TrainingRecipe.Default</c> to it.
/// </summary>
/// <param name="Type">integer, number, or string for a choice among <paramref name="Choices"/>.</param>
/// <param name="Flags">The flag that overrides the field, then its other spellings; empty where no flag does.</param>
/// <param name="Range">The values a number may take; null for a choice.</param>
/// <param name="ChoiceType">The runtime enum whose members <paramref name="Choices"/> name.</param>
public sealed record TrainingField(string Key, string Type, string Default, string Help, IReadOnlyList<string> Flags,
    TrainingRange? Range = null, IReadOnlyList<KeyValuePair<string, string>>? Choices = null, string? ChoiceType = null)
{
    /// <summary>The field as a diagnostic names it: "training.label_smoothing".</summary>
    public string Label => "training." + Key;

    /// <summary>The field's member of the runtime's TrainingRecipe: the key in Pascal case ("label_smoothing": LabelSmoothing).</summary>
    public string Member => string.Concat(Key.Split('_').Select(word => char.ToUpperInvariant(word[0]) + word.Substring(1)));

    /// <summary>The help of the field's flag: what it sets, and that the spec's value (or the default) stands without it.</summary>
    public string FlagHelp => Help + " (the spec's; " + Default + ")";
}

/// <summary>The bounds of a number field, each inclusive unless said otherwise.</summary>
public sealed record TrainingRange(double Minimum, double Maximum, bool ExclusiveMinimum = false, bool ExclusiveMaximum = false)
{
    /// <summary>The range as a diagnostic says it: "between 0 and 1", "at least 0 and below 1", "greater than 0 and at most 100".</summary>
    public string Text =>
        (ExclusiveMinimum ? "greater than " : ExclusiveMaximum ? "at least " : "between ") + Number(Minimum)
        + (ExclusiveMaximum ? " and below " : ExclusiveMinimum ? " and at most " : " and ") + Number(Maximum);

    /// <summary>Whether <paramref name="value"/> is not outside the range (NaN, which compares with nothing, is not).</summary>
    public bool Contains(double value) =>
        !(value < Minimum || value > Maximum || (ExclusiveMinimum && value == Minimum) || (ExclusiveMaximum && value == Maximum));

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The fields of a spec's <c>training:</c> section, in the order a spec lists them.</summary>
public static class TrainingFields
{
    public static readonly TrainingField Epochs = new("epochs", "integer", "110", "epochs to train", ["--epochs"], new(1, 100_000));
    public static readonly TrainingField BatchSize = new("batch_size", "integer", "256", "mini-batch size", ["--batch-size", "-b"], new(1, 1_000_000));
    public static readonly TrainingField LearningRate = new("learning_rate", "number", "0.1", "initial learning rate", ["--lr", "--learning-rate"], new(0, 100, ExclusiveMinimum: true));
    public static readonly TrainingField Momentum = new("momentum", "number", "0.9", "Nesterov momentum", ["--momentum"], new(0, 1, ExclusiveMaximum: true));
    public static readonly TrainingField WeightDecay = new("weight_decay", "number", "1e-4", "weight decay", ["--wd", "--weight-decay"], new(0, 1));
    public static readonly TrainingField Schedule = new("schedule", "string", "cosine",
        "cosine or step per epoch, or warmup-cosine per step", ["--lr-scheduler", "--lr_scheduler"], null, TrainingSpec.Schedules, "ScheduleKind");
    public static readonly TrainingField WarmupEpochs = new("warmup_epochs", "number", "1",
        "linear warm-up of warmup-cosine, in epochs", ["--warmup-epochs"], new(0, 100_000));
    public static readonly TrainingField LabelSmoothing = new("label_smoothing", "number", "0",
        "label smoothing of the training loss", ["--label-smoothing"], new(0, 1, ExclusiveMaximum: true));
    public static readonly TrainingField Augmentation = new("augmentation", "string", "standard",
        "training-time augmentation (strong for se-resnext blocks)", [], null, TrainingSpec.Augmentations, "Augmentation");
    public static readonly TrainingField CropPadding = new("crop_padding", "integer", "4",
        "crop-flip: zero padding on each side before the random crop", [], new(0, 1_024));
    public static readonly TrainingField TestAugmentation = new("test_augmentation", "string", "none",
        "evaluation: none, or flip to average each image's logits with its mirror image's", ["--test-augmentation"], null, TrainingSpec.TestAugmentations, "Augmentation");
    public static readonly TrainingField Precision = new("precision", "string", "fp32", "fp32, bf16 or auto", ["--precision"], null, TrainingSpec.Precisions, "Precision");
    public static readonly TrainingField MemoryFormat = new("memory_format", "string", "nchw", "nchw, nhwc or auto", ["--memory-format"], null, TrainingSpec.MemoryFormats, "MemoryFormat");
    public static readonly TrainingField Holdout = new("holdout", "integer", "0",
        "train on all but the last N training images and validate on those N instead of the test/val set (0: none)", ["--holdout"], new(0, 1_000_000));
    public static readonly TrainingField Ema = new("ema", "number", "0",
        "decay of an exponential moving average of the weights, evaluated each epoch beside them (0: none)", ["--ema"], new(0, 1, ExclusiveMaximum: true));

    public static readonly IReadOnlyList<TrainingField> All =
    [
        Epochs, BatchSize, LearningRate, Momentum, WeightDecay, Schedule, WarmupEpochs, LabelSmoothing, Augmentation, CropPadding,
        TestAugmentation, Precision, MemoryFormat, Holdout, Ema,
    ];

    public static readonly IReadOnlyList<string> Keys = All.Select(f => f.Key).ToList();

    public static TrainingField Named(string key) => All.First(f => f.Key == key);
}
