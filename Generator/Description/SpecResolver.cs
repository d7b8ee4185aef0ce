using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;
using Dsl.Generator.Naming;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Description;

/// <summary>
/// Applies each family's defaults and the rules that relate fields to each other (which fields a family
/// accepts, depth tables, the allocation source) and resolves an allocation file among the data files.
/// </summary>
internal sealed class SpecResolver
{
    public const string BigLittle = "big-little";
    public const string ScaleNet = "scalenet";
    public const string ResNet = "resnet";
    public static readonly IReadOnlyList<string> Families = [BigLittle, ScaleNet, ResNet];

    public const string Bottleneck = "bottleneck";
    public const string ResNeXt = "resnext";
    public const string SEResNeXt = "se-resnext";
    public static readonly IReadOnlyList<string> Blocks = [Bottleneck, ResNeXt, SEResNeXt];

    /// <summary>Blocks per stage for each named depth. Big-Little Net's own tables differ from ResNet's above 50.</summary>
    private static readonly Dictionary<int, int[]> BigLittleDepths = new()
    {
        [50] = [3, 4, 6, 3], [101] = [4, 8, 18, 3], [152] = [5, 12, 30, 3],
    };

    private static readonly Dictionary<int, int[]> ResNetDepths = new()
    {
        [50] = [3, 4, 6, 3], [101] = [3, 4, 23, 3], [152] = [3, 8, 36, 3],
    };

    public const int StageCount = 4;
    public const int MaxTotalBlocks = 1_000;

    private readonly ModelSpec spec;
    private readonly List<DiagnosticInfo> diagnostics;

    private SpecResolver(ModelSpec spec, List<DiagnosticInfo> diagnostics) => (this.spec, this.diagnostics) = (spec, diagnostics);

    public static ResolvedSpec? Resolve(ModelSpec spec, EquatableArray<DataFile> dataFiles, List<DiagnosticInfo> diagnostics) =>
        new SpecResolver(spec, diagnostics).Run(dataFiles);

    private ResolvedSpec? Run(EquatableArray<DataFile> dataFiles)
    {
        var errorsBefore = diagnostics.Count;
        string? className = null;
        if (spec.Name is not { } name) Report(DiagnosticCatalog.MissingField, spec.RootSpan, "name", "");
        else
        {
            className = ClassNames.FromCanonicalName(name.Value, out var problem);
            if (problem is not null) Report(DiagnosticCatalog.InvalidName, name.Span, Shorten(name.Value), problem);
        }

        string? family = null;
        if (spec.Family is not { } familyValue) Report(DiagnosticCatalog.MissingField, spec.RootSpan, "family", " (one of " + string.Join(", ", Families) + ")");
        else if (!Families.Contains(familyValue.Value))
            Report(DiagnosticCatalog.OutOfRange, familyValue.Span, "family", Quote(familyValue.Value), "one of " + string.Join(", ", Families));
        else family = familyValue.Value;

        var block = spec.Block?.Value ?? Bottleneck;
        if (spec.Block is { } blockValue && !Blocks.Contains(blockValue.Value))
        {
            Report(DiagnosticCatalog.OutOfRange, blockValue.Span, "block", Quote(blockValue.Value), "one of " + string.Join(", ", Blocks));
            block = Bottleneck;
        }
        if (family is null) return null;
        if (family == ScaleNet && spec.Block is { } scaleBlock && scaleBlock.Value != Bottleneck)
            Report(DiagnosticCatalog.NotApplicable, scaleBlock.Span, "block: " + scaleBlock.Value, "family 'scalenet' (its SA block is a bottleneck)");

        var grouped = block is ResNeXt or SEResNeXt;
        NotFor(family != BigLittle, spec.Alpha?.Span, "alpha", "family '" + family + "'");
        NotFor(family != BigLittle, spec.Beta?.Span, "beta", "family '" + family + "'");
        NotFor(family != BigLittle, spec.Stem?.Downsample?.Span, "stem.downsample", "family '" + family + "' (it has no bL stem)");
        NotFor(!grouped, spec.Cardinality?.Span, "cardinality", "block '" + block + "'");
        NotFor(!grouped, spec.BaseWidth?.Span, "base_width", "block '" + block + "'");
        NotFor(block != SEResNeXt, spec.SeReduction?.Span, "se_reduction", "block '" + block + "'");
        NotFor(family != ScaleNet, spec.Allocation?.Span, "allocation", "family '" + family + "'");
        NotFor(family != ScaleNet, spec.AllocationFile?.Span, "allocation_file", "family '" + family + "'");

        var stageBlocks = ResolveStageBlocks(family, out var stageSpan);
        var widths = spec.Widths?.Value.ToArray() ?? [64, 128, 256, 512];
        if (widths.Length != StageCount)
            Report(DiagnosticCatalog.OutOfRange, spec.Widths!.Value.Span, "widths", widths.Length + " entries", "4 entries, one per stage");
        var input = spec.Input?.Value.ToArray() ?? [3, 224, 224];
        if (input.Length != 3)
            Report(DiagnosticCatalog.OutOfRange, spec.Input!.Value.Span, "input", input.Length + " entries", "3 entries [channels, height, width]");

        IReadOnlyList<AllocationRow>? allocation = null;
        var allocationSpan = spec.Allocation?.Span ?? spec.AllocationFile?.Span ?? spec.RootSpan;
        var allocationPath = spec.FilePath;
        if (family == ScaleNet) allocation = ResolveAllocation(dataFiles, ref allocationPath);
        var features = ResolveFeatures();

        if (diagnostics.Count > errorsBefore || stageBlocks is null || className is null) return null;

        var stem = spec.Stem;
        if (stem?.Kernel is { } kernel && kernel.Value % 2 == 0)
        {
            Report(DiagnosticCatalog.OutOfRange, kernel.Span, "stem.kernel", kernel.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "odd (the padding is kernel/2)");
            return null;
        }
        return new ResolvedSpec
        {
            FilePath = spec.FilePath,
            Name = spec.Name!.Value.Value,
            ClassName = className,
            Family = family,
            Block = block,
            Depth = spec.Depth?.Value ?? 0,
            StageBlocks = stageBlocks,
            Alpha = family == BigLittle ? spec.Alpha?.Value ?? 2 : 1,
            Beta = family == BigLittle ? spec.Beta?.Value ?? 4 : 1,
            Cardinality = grouped ? spec.Cardinality?.Value ?? 32 : 1,
            BaseWidth = grouped ? spec.BaseWidth?.Value ?? 4 : 64,
            SeReduction = block == SEResNeXt ? spec.SeReduction?.Value ?? 16 : 0,
            Classes = spec.Classes?.Value ?? 1000,
            Input = new FeatureShape(input[0], input[1], input[2]),
            Widths = widths,
            StemKernel = stem?.Kernel?.Value ?? 7,
            StemStride = stem?.Stride?.Value ?? 2,
            StemChannels = stem?.Channels?.Value ?? widths[0],
            StemDownsample = stem?.Downsample?.Value ?? true,
            StemMaxPool = stem?.MaxPool?.Value ?? family != BigLittle,
            Allocation = allocation,
            Features = features,
            Training = TrainingDescription.From(spec.Training, block),
            NameSpan = spec.Name.Value.Span,
            StageBlocksSpan = stageSpan,
            AlphaSpan = spec.Alpha?.Span ?? spec.Widths?.Span ?? spec.RootSpan,
            CardinalitySpan = spec.Cardinality?.Span ?? spec.Block?.Span ?? spec.RootSpan,
            BaseWidthSpan = spec.BaseWidth?.Span ?? spec.Block?.Span ?? spec.RootSpan,
            SeReductionSpan = spec.SeReduction?.Span ?? spec.Block?.Span ?? spec.RootSpan,
            InputSpan = spec.Input?.Span ?? spec.RootSpan,
            WidthsSpan = spec.Widths?.Span ?? spec.RootSpan,
            WidthsGiven = spec.Widths is not null,
            ClassesSpan = spec.Classes?.Span ?? spec.RootSpan,
            StemChannelsSpan = stem?.Channels?.Span ?? spec.Widths?.Span ?? spec.RootSpan,
            AllocationSpan = allocationSpan,
            AllocationPath = allocationPath,
        };
    }

    private int[]? ResolveStageBlocks(string family, out SourceSpan span)
    {
        span = spec.RootSpan;
        if (spec.Depth is { } depth && spec.Blocks is { } explicitBlocks)
        {
            Report(DiagnosticCatalog.ConflictingFields, explicitBlocks.Span, "depth", "blocks");
            return null;
        }
        if (spec.Blocks is { } blocks)
        {
            span = blocks.Span;
            if (blocks.Value.Count != StageCount)
            {
                Report(DiagnosticCatalog.OutOfRange, blocks.Span, "blocks", blocks.Value.Count + " entries", "4 entries, one per stage");
                return null;
            }
            if (blocks.Value.Sum() > MaxTotalBlocks)
            {
                Report(DiagnosticCatalog.OutOfRange, blocks.Span, "blocks", blocks.Value.Sum() + " blocks in all", "at most " + MaxTotalBlocks);
                return null;
            }
            return blocks.Value.ToArray();
        }
        if (spec.Depth is not { } d)
        {
            Report(DiagnosticCatalog.MissingField, spec.RootSpan, "depth", " (or 'blocks' per stage)");
            return null;
        }
        span = d.Span;
        var table = family == BigLittle ? BigLittleDepths : ResNetDepths;
        if (table.TryGetValue(d.Value, out var stages)) return stages;
        Report(DiagnosticCatalog.UnknownDepth, d.Span, d.Value, family, string.Join(", ", table.Keys.OrderBy(k => k)));
        return null;
    }

    /// <summary>The stages Features returns, in stage order: every stage unless the spec lists some, each at most once.</summary>
    private int[] ResolveFeatures()
    {
        if (spec.Features is not { } listed) return Enumerable.Range(1, StageCount).ToArray();
        if (listed.Value.Count == 0 || listed.Value.Count > StageCount)
        {
            // One diagnostic for an overlong list, not one per repeated entry.
            Report(DiagnosticCatalog.OutOfRange, listed.Span, "features", listed.Value.Count == 0 ? "an empty list" : listed.Value.Count + " entries",
                "1 to " + StageCount + " entries, each a stage from 1 to " + StageCount);
            return [];
        }
        var stages = new List<int>();
        for (var i = 0; i < listed.Value.Count; i++)
        {
            var (stage, span) = listed.Value[i];
            var label = "features[" + i + "]";
            if (stage < 1 || stage > StageCount)
                Report(DiagnosticCatalog.UnknownFeatureStage, span, label, stage,
                    "the network's stages are 1 to " + StageCount + " (layer1 to layer" + StageCount + ")");
            else if (stages.Contains(stage))
                Report(DiagnosticCatalog.UnknownFeatureStage, span, label, stage, "stage " + stage + " is already listed");
            else stages.Add(stage);
        }
        stages.Sort();
        return stages.ToArray();
    }

    private IReadOnlyList<AllocationRow>? ResolveAllocation(EquatableArray<DataFile> dataFiles, ref string rowsPath)
    {
        if (spec.Allocation is { } inline && spec.AllocationFile is { } file)
        {
            Report(DiagnosticCatalog.ConflictingFields, file.Span, "allocation", "allocation_file");
            return null;
        }
        if (spec.Allocation is { } rows) return rows.Value.ToArray();
        if (spec.AllocationFile is not { } reference)
        {
            Report(DiagnosticCatalog.MissingField, spec.RootSpan, "allocation", " (or 'allocation_file'): family 'scalenet' needs the channels of every block");
            return null;
        }
        var data = FindDataFile(reference.Value, dataFiles);
        if (data is null)
        {
            var known = dataFiles.Count == 0 ? "none" : string.Join(", ", dataFiles.Select(f => FileName(f.Path)).OrderBy(n => n, StringComparer.Ordinal));
            Report(DiagnosticCatalog.MissingAllocationFile, reference.Span, reference.Value, known);
            return null;
        }
        var (parsed, fileDiagnostics) = SpecParser.ParseAllocationFile(data.Path, data.Text);
        diagnostics.AddRange(fileDiagnostics);
        rowsPath = data.Path;
        return parsed?.ToArray();
    }

    /// <summary>The data file a spec names, relative to the spec's folder; a file of that name elsewhere as a fallback.</summary>
    private DataFile? FindDataFile(string reference, EquatableArray<DataFile> dataFiles)
    {
        var wanted = Normalize(reference).TrimStart('/');
        var specFolder = Folder(Normalize(spec.FilePath));
        var matches = dataFiles.Where(f => Normalize(f.Path) == specFolder + wanted || Normalize(f.Path).EndsWith("/" + wanted, StringComparison.Ordinal))
            .OrderBy(f => Normalize(f.Path) == specFolder + wanted ? 0 : 1).ThenBy(f => f.Path, StringComparer.Ordinal);
        return matches.FirstOrDefault();
    }

    private static string Normalize(string path) => path.Replace('\\', '/').Replace("/./", "/");

    private static string Folder(string path)
    {
        var cut = path.LastIndexOf('/');
        return cut < 0 ? "" : path.Substring(0, cut + 1);
    }

    public static string FileName(string path) => path.Substring(Normalize(path).LastIndexOf('/') + 1);

    private void NotFor(bool condition, SourceSpan? span, string field, string what)
    {
        if (condition && span is { } s) Report(DiagnosticCatalog.NotApplicable, s, field, what);
    }

    private static string Quote(string value) => "'" + Shorten(value) + "'";

    private static string Shorten(string value) => value.Length > 60 ? value.Substring(0, 60) + "..." : value;

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, params object[] arguments) =>
        diagnostics.Add(DiagnosticInfo.Create(descriptor, spec.FilePath, span, arguments));
}
