using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Description;

/// <summary>
/// The values of a model's training recipe that differ from the runtime's defaults, as C# enum member names
/// for the choices; null leaves the default.
/// </summary>
public sealed record TrainingDescription(int? Epochs, int? BatchSize, double? LearningRate, double? Momentum, double? WeightDecay,
    string? Schedule, double? WarmupEpochs, double? LabelSmoothing, string? Augmentation, int? CropPadding, string? TestAugmentation, string? Precision, string? MemoryFormat)
{
    /// <summary>
    /// The spec's section; SE blocks train with the stronger augmentation unless the spec says otherwise, as the
    /// original trained them.
    /// </summary>
    public static TrainingDescription From(TrainingSpec? spec, string block) => new(
        spec?.Epochs?.Value, spec?.BatchSize?.Value, spec?.LearningRate?.Value, spec?.Momentum?.Value, spec?.WeightDecay?.Value,
        Member(spec?.Schedule, TrainingSpec.Schedules),
        spec?.WarmupEpochs?.Value,
        spec?.LabelSmoothing?.Value,
        Member(spec?.Augmentation, TrainingSpec.Augmentations) ?? (block == SpecResolver.SEResNeXt ? "Strong" : null),
        spec?.CropPadding?.Value,
        Member(spec?.TestAugmentation, TrainingSpec.TestAugmentations),
        Member(spec?.Precision, TrainingSpec.Precisions),
        Member(spec?.MemoryFormat, TrainingSpec.MemoryFormats));

    private static string? Member(Located<string>? word, IReadOnlyList<KeyValuePair<string, string>> choices) =>
        word is { } w ? choices.First(c => c.Key == w.Value).Value : null;
}
