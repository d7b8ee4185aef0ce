using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;
using Dsl.Generator.Parsing;

namespace Dsl.Generator.Specs;

/// <summary>The result of reading one spec: the spec when it could be read, and what was wrong.</summary>
public sealed record SpecParseResult(string FilePath, ModelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Reads a spec's node tree into a <see cref="ModelSpec"/>: known keys only (with a suggestion for a
/// misspelt one), each value of the right type and within sane bounds. Architectural rules come later.
/// </summary>
public sealed class SpecParser
{
    public static readonly IReadOnlyList<string> TopLevelKeys =
    [
        "$schema", "name", "description", "family", "block", "depth", "blocks", "alpha", "beta", "cardinality",
        "base_width", "se_reduction", "classes", "input", "widths", "stem", "allocation", "allocation_file",
        "features", "training",
    ];

    public static readonly IReadOnlyList<string> StemKeys = ["kernel", "stride", "channels", "downsample", "max_pool"];

    private const int MaxChannels = 16_384;

    private readonly string path;
    private readonly List<DiagnosticInfo> diagnostics = [];

    private SpecParser(string path) => this.path = path;

    public static SpecParseResult Parse(string path, string text)
    {
        var (root, readErrors) = SpecReader.Read(path, text);
        if (root is null) return new SpecParseResult(path, null, readErrors.ToEquatableArray());
        var parser = new SpecParser(path);
        var spec = parser.ReadSpec(root);
        return new SpecParseResult(path, spec, parser.diagnostics.ToEquatableArray());
    }

    /// <summary>Reads an allocation data file: a list of [c_s1, c_s2, c_s4, c_s7, side] rows.</summary>
    public static (EquatableArray<AllocationRow>? Rows, EquatableArray<DiagnosticInfo> Diagnostics) ParseAllocationFile(string path, string text)
    {
        var (root, readErrors) = SpecReader.Read(path, text);
        if (root is null) return (null, readErrors.ToEquatableArray());
        var parser = new SpecParser(path);
        var rows = parser.ReadAllocation(root, "allocation file");
        return (rows, parser.diagnostics.ToEquatableArray());
    }

    private ModelSpec? ReadSpec(SpecNode root)
    {
        if (root is not MappingNode mapping)
        {
            Report(DiagnosticCatalog.WrongType, root.Span, "the spec", "a mapping of fields", root.Describe());
            return null;
        }
        var fields = Fields(mapping, TopLevelKeys, "the spec");
        StemSpec? stem = null;
        if (fields.TryGetValue("stem", out var stemNode))
        {
            if (stemNode is MappingNode stemMapping)
            {
                var s = Fields(stemMapping, StemKeys, "'stem'");
                stem = new StemSpec(Integer(s, "kernel", "stem.kernel", 1, 15), Integer(s, "stride", "stem.stride", 1, 8),
                    Integer(s, "channels", "stem.channels", 1, MaxChannels), Boolean(s, "downsample", "stem.downsample"),
                    Boolean(s, "max_pool", "stem.max_pool"), stemMapping.Span);
            }
            else
            {
                Report(DiagnosticCatalog.WrongType, stemNode.Span, "stem", "a mapping", stemNode.Describe());
            }
        }
        Located<EquatableArray<AllocationRow>>? allocation = null;
        if (fields.TryGetValue("allocation", out var allocationNode))
        {
            var rows = ReadAllocation(allocationNode, "allocation");
            if (rows is { } r) allocation = new Located<EquatableArray<AllocationRow>>(r, allocationNode.Span);
        }
        return new ModelSpec(
            path,
            mapping.Entries.Count > 0 ? mapping.Entries[0].Key.Span : mapping.Span,
            Text(fields, "name"),
            Text(fields, "family"),
            Text(fields, "block"),
            Integer(fields, "depth", "depth", 1, 10_000),
            IntegerList(fields, "blocks", 1, 10_000),
            Integer(fields, "alpha", "alpha", 1, 1_024),
            Integer(fields, "beta", "beta", 1, 1_024),
            Integer(fields, "cardinality", "cardinality", 1, MaxChannels),
            Integer(fields, "base_width", "base_width", 1, MaxChannels),
            Integer(fields, "se_reduction", "se_reduction", 1, MaxChannels),
            Integer(fields, "classes", "classes", 1, 1_000_000),
            IntegerList(fields, "input", 1, 65_536),
            IntegerList(fields, "widths", 1, MaxChannels),
            stem,
            allocation,
            Text(fields, "allocation_file"),
            IntegerItems(fields, "features", int.MinValue, int.MaxValue),
            fields.TryGetValue("training", out var trainingNode) ? ReadTraining(trainingNode) : null);
    }

    private TrainingSpec? ReadTraining(SpecNode node)
    {
        if (node is not MappingNode mapping)
        {
            Report(DiagnosticCatalog.WrongType, node.Span, "training", "a mapping", node.Describe());
            return null;
        }
        var t = Fields(mapping, TrainingSpec.Keys, "'training'");
        var augmentation = Choice(t, TrainingFields.Augmentation);
        var cropPadding = Integer(t, TrainingFields.CropPadding);
        if (cropPadding is { } padding && augmentation is { } a && a.Value != TrainingSpec.CropFlip)
            Report(DiagnosticCatalog.NotApplicable, padding.Span, TrainingFields.CropPadding.Label, "augmentation '" + a.Value + "' (only to '" + TrainingSpec.CropFlip + "')");
        var schedule = Choice(t, TrainingFields.Schedule);
        var warmup = Number(t, TrainingFields.WarmupEpochs);
        if (warmup is { } w && schedule?.Value != TrainingSpec.WarmupCosine)
            Report(DiagnosticCatalog.NotApplicable, w.Span, TrainingFields.WarmupEpochs.Label,
                "schedule '" + (schedule?.Value ?? "cosine") + "' (only to '" + TrainingSpec.WarmupCosine + "')");
        return new TrainingSpec(
            Integer(t, TrainingFields.Epochs),
            Integer(t, TrainingFields.BatchSize),
            Number(t, TrainingFields.LearningRate),
            Number(t, TrainingFields.Momentum),
            Number(t, TrainingFields.WeightDecay),
            schedule,
            warmup,
            Number(t, TrainingFields.LabelSmoothing),
            augmentation,
            cropPadding,
            Choice(t, TrainingFields.TestAugmentation),
            Choice(t, TrainingFields.Precision),
            Choice(t, TrainingFields.MemoryFormat),
            Integer(t, TrainingFields.Holdout),
            Number(t, TrainingFields.Ema),
            mapping.Span);
    }

    private Located<int>? Integer(Dictionary<string, SpecNode> fields, TrainingField field) =>
        Integer(fields, field.Key, field.Label, (int)field.Range!.Minimum, (int)field.Range.Maximum);

    private Located<double>? Number(Dictionary<string, SpecNode> fields, TrainingField field) =>
        Number(fields, field.Key, field.Label, field.Range!.Minimum, field.Range.Maximum, field.Range.Text,
            field.Range.ExclusiveMinimum, field.Range.ExclusiveMaximum);

    private Located<string>? Choice(Dictionary<string, SpecNode> fields, TrainingField field) =>
        Choice(fields, field.Key, field.Label, field.Choices!);

    private Located<double>? Number(Dictionary<string, SpecNode> fields, string key, string label, double min, double max, string range,
        bool exclusiveMin = false, bool exclusiveMax = false)
    {
        if (!fields.TryGetValue(key, out var node)) return null;
        if (node is not ScalarNode { Quoted: false } scalar || ScalarValues.ParseNumber(scalar.Value) is not { } value)
        {
            Report(DiagnosticCatalog.WrongType, node.Span, label, "a number", node.Describe());
            return null;
        }
        if (!new TrainingRange(min, max, exclusiveMin, exclusiveMax).Contains(value))
        {
            Report(DiagnosticCatalog.OutOfRange, node.Span, label, scalar.Value, range);
            return null;
        }
        return new Located<double>(value, scalar.Span);
    }

    /// <summary>One of a fixed set of words; a near miss gets a suggestion.</summary>
    private Located<string>? Choice(Dictionary<string, SpecNode> fields, string key, string label, IReadOnlyList<KeyValuePair<string, string>> choices)
    {
        if (Text(fields, key) is not { } text) return null;
        var words = choices.Select(c => c.Key).ToList();
        if (words.Contains(text.Value)) return text;
        var suggestion = Suggest(text.Value, words);
        Report(DiagnosticCatalog.UnknownChoice, text.Span, label, text.Value, string.Join(", ", words),
            suggestion is null ? "" : "; did you mean '" + suggestion + "'?");
        return null;
    }

    private Dictionary<string, SpecNode> Fields(MappingNode mapping, IReadOnlyList<string> known, string where)
    {
        var fields = new Dictionary<string, SpecNode>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (!known.Contains(key))
            {
                var suggestion = Suggest(key, known);
                Report(DiagnosticCatalog.UnknownKey, entry.Key.Span, key, where, suggestion is null ? "" : "; did you mean '" + suggestion + "'?");
                continue;
            }
            if (fields.ContainsKey(key))
            {
                Report(DiagnosticCatalog.DuplicateKey, entry.Key.Span, key, where);
                continue;
            }
            fields[key] = entry.Value;
        }
        return fields;
    }

    private Located<string>? Text(Dictionary<string, SpecNode> fields, string key)
    {
        if (!fields.TryGetValue(key, out var node)) return null;
        if (node is ScalarNode scalar && !scalar.IsNull) return new Located<string>(scalar.Value, scalar.Span);
        Report(DiagnosticCatalog.WrongType, node.Span, key, "a string", node.Describe());
        return null;
    }

    private Located<bool>? Boolean(Dictionary<string, SpecNode> fields, string key, string label)
    {
        if (!fields.TryGetValue(key, out var node)) return null;
        if (node is ScalarNode { Quoted: false } scalar && ScalarValues.ParseBoolean(scalar.Value) is { } value)
            return new Located<bool>(value, scalar.Span);
        Report(DiagnosticCatalog.WrongType, node.Span, label, "true or false", node.Describe());
        return null;
    }

    private Located<int>? Integer(Dictionary<string, SpecNode> fields, string key, string label, int min, int max) =>
        fields.TryGetValue(key, out var node) && IntegerValue(node, label, min, max) is { } value
            ? new Located<int>(value, node.Span)
            : null;

    private int? IntegerValue(SpecNode node, string label, int min, int max)
    {
        if (node is not ScalarNode { Quoted: false } scalar || !ScalarValues.IsInteger(scalar.Value))
        {
            Report(DiagnosticCatalog.WrongType, node.Span, label, "an integer", node.Describe());
            return null;
        }
        var value = ScalarValues.ParseInteger(scalar.Value);
        if (value is null || value < min || value > max)
        {
            Report(DiagnosticCatalog.OutOfRange, node.Span, label, scalar.Value.Length > 24 ? scalar.Value.Substring(0, 24) + "..." : scalar.Value,
                "between " + min + " and " + max);
            return null;
        }
        return (int)value.Value;
    }

    private Located<EquatableArray<int>>? IntegerList(Dictionary<string, SpecNode> fields, string key, int min, int max) =>
        IntegerItems(fields, key, min, max) is { } items
            ? new Located<EquatableArray<int>>(items.Value.Select(i => i.Value).ToEquatableArray(), items.Span)
            : null;

    /// <summary>A list of integers, each with its own position, so a later rule can point at the one it refuses.</summary>
    private Located<EquatableArray<Located<int>>>? IntegerItems(Dictionary<string, SpecNode> fields, string key, int min, int max)
    {
        if (!fields.TryGetValue(key, out var node)) return null;
        var values = Items(node, key, "a list of integers", (SpecNode item, string label, out Located<int> value) =>
        {
            var read = IntegerValue(item, label, min, max);
            value = new Located<int>(read ?? 0, item.Span);
            return read is not null;
        });
        return values is { } list ? new Located<EquatableArray<Located<int>>>(list, node.Span) : null;
    }

    private EquatableArray<AllocationRow>? ReadAllocation(SpecNode node, string label) =>
        Items(node, label, "a list of [c_s1, c_s2, c_s4, c_s7, side] rows", (SpecNode item, string rowLabel, out AllocationRow value) =>
        {
            value = default!;
            if (item is not SequenceNode row || row.Items.Count != 5)
            {
                Report(DiagnosticCatalog.WrongType, item.Span, rowLabel, "a row of 5 integers [c_s1, c_s2, c_s4, c_s7, side]",
                    item is SequenceNode s ? "a list of " + s.Items.Count : item.Describe());
                return false;
            }
            var values = new int[5];
            var ok = true;
            for (var j = 0; j < 5; j++)
            {
                var v = IntegerValue(row.Items[j], rowLabel + "[" + j + "]", j == 4 ? 1 : 0, j == 4 ? 65_536 : MaxChannels);
                if (v is null) ok = false;
                else values[j] = v.Value;
            }
            value = new AllocationRow(values.Take(4).ToEquatableArray(), values[4], row.Span);
            return ok;
        });

    private delegate bool ItemReader<T>(SpecNode item, string label, out T value);

    // Every item is read, so each bad one is reported, not only the first; null where the node is no list or an item is bad.
    private EquatableArray<T>? Items<T>(SpecNode node, string label, string expected, ItemReader<T> read) where T : IEquatable<T>
    {
        if (node is not SequenceNode sequence)
        {
            Report(DiagnosticCatalog.WrongType, node.Span, label, expected, node.Describe());
            return null;
        }
        var items = new List<T>();
        var ok = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (read(sequence.Items[i], label + "[" + i + "]", out var item)) items.Add(item);
            else ok = false;
        }
        return ok ? items.ToEquatableArray() : (EquatableArray<T>?)null;
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, params object[] arguments) =>
        diagnostics.Add(DiagnosticInfo.Create(descriptor, path, span, arguments));

    /// <summary>The known key closest to a misspelt one, if any is close enough to be a likely typo.</summary>
    public static string? Suggest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var d = EditDistance.Between(key.ToLowerInvariant(), candidate);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return best is not null && bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }
}
