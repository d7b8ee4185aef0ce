using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dsl.Generator.Infrastructure;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Description;

/// <summary>
/// The values of a model's training recipe that differ from the runtime's defaults, in <see cref="TrainingFields"/>
/// order: each a field's key and its value as C# writes it, a number or, for a choice, the enum member's name.
/// </summary>
public sealed record TrainingDescription(EquatableArray<TrainingValue> Values)
{
    /// <summary>
    /// The spec's section; SE blocks train with the stronger augmentation unless the spec says otherwise, as the
    /// original trained them.
    /// </summary>
    public static TrainingDescription From(TrainingSpec? spec, string block)
    {
        var values = new List<TrainingValue>();
        void Add(TrainingField field, string? value)
        {
            if (value is not null) values.Add(new TrainingValue(field.Key, value));
        }
        Add(TrainingFields.Epochs, Number(spec?.Epochs));
        Add(TrainingFields.BatchSize, Number(spec?.BatchSize));
        Add(TrainingFields.LearningRate, Number(spec?.LearningRate));
        Add(TrainingFields.Momentum, Number(spec?.Momentum));
        Add(TrainingFields.WeightDecay, Number(spec?.WeightDecay));
        Add(TrainingFields.Schedule, Member(spec?.Schedule, TrainingFields.Schedule));
        Add(TrainingFields.WarmupEpochs, Number(spec?.WarmupEpochs));
        Add(TrainingFields.LabelSmoothing, Number(spec?.LabelSmoothing));
        Add(TrainingFields.Augmentation, Member(spec?.Augmentation, TrainingFields.Augmentation) ?? (block == SpecResolver.SEResNeXt ? "Strong" : null));
        Add(TrainingFields.CropPadding, Number(spec?.CropPadding));
        Add(TrainingFields.TestAugmentation, Member(spec?.TestAugmentation, TrainingFields.TestAugmentation));
        Add(TrainingFields.Precision, Member(spec?.Precision, TrainingFields.Precision));
        Add(TrainingFields.MemoryFormat, Member(spec?.MemoryFormat, TrainingFields.MemoryFormat));
        Add(TrainingFields.Holdout, Number(spec?.Holdout));
        Add(TrainingFields.Ema, Number(spec?.Ema));
        return new TrainingDescription(values.ToEquatableArray());
    }

    private static string? Number(Located<int>? value) => value?.Value.ToString(CultureInfo.InvariantCulture);

    private static string? Number(Located<double>? value) => value?.Value.ToString("R", CultureInfo.InvariantCulture);

    private static string? Member(Located<string>? word, TrainingField field) =>
        word is { } w ? field.Choices!.First(c => c.Key == w.Value).Value : null;
}

/// <summary>One value of <see cref="TrainingDescription"/>: a field's key and its value as C# writes it.</summary>
public sealed record TrainingValue(string Key, string Value);
