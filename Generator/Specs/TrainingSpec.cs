using System.Collections.Generic;
using Dsl.Generator.Diagnostics;

namespace Dsl.Generator.Specs;

/// <summary>
/// A spec's <c>training:</c> section as written: the default recipe of the model. Absent values take the
/// runtime's defaults (Dsl.Runtime.Training.TrainingRecipe); choices are kept in the spec's spelling.
/// </summary>
public sealed record TrainingSpec(
    Located<int>? Epochs,
    Located<int>? BatchSize,
    Located<double>? LearningRate,
    Located<double>? Momentum,
    Located<double>? WeightDecay,
    Located<string>? Schedule,
    Located<double>? WarmupEpochs,
    Located<double>? LabelSmoothing,
    Located<string>? Augmentation,
    Located<int>? CropPadding,
    Located<string>? TestAugmentation,
    Located<string>? Precision,
    Located<string>? MemoryFormat,
    Located<int>? Holdout,
    Located<double>? Ema,
    SourceSpan Span)
{
    /// <summary>The section's keys (<see cref="TrainingFields"/>).</summary>
    public static IReadOnlyList<string> Keys => TrainingFields.Keys;

    /// <summary>Each choice's spelling in a spec and the runtime enum member it stands for.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Schedules =
        [new("cosine", "Cosine"), new("step", "Step"), new(WarmupCosine, "WarmupCosine")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> Augmentations =
        [new("none", "None"), new("flip", "Flip"), new("crop-flip", "CropFlip"), new("standard", "Standard"), new("strong", "Strong")];

    /// <summary>Evaluation's choices: the image alone, or the average of its logits and its mirror image's.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> TestAugmentations = [new("none", "None"), new("flip", "Flip")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> Precisions =
        [new("fp32", "Float32"), new("bf16", "BFloat16"), new("auto", "Auto")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> MemoryFormats =
        [new("nchw", "Nchw"), new("nhwc", "Nhwc"), new("auto", "Auto")];

    public const string CropFlip = "crop-flip";
    public const string WarmupCosine = "warmup-cosine";
}
