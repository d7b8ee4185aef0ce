using System.Collections.Generic;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Description;

/// <summary>A spec with defaults filled in and cross-field rules checked; spans kept for the architectural checks.</summary>
internal sealed class ResolvedSpec
{
    public string FilePath { get; init; } = default!;
    public string Name { get; init; } = default!;
    public string ClassName { get; init; } = default!;
    public string Family { get; init; } = default!;
    public string Block { get; init; } = default!;
    public int Depth { get; init; }
    public IReadOnlyList<int> StageBlocks { get; init; } = default!;
    public int Alpha { get; init; }
    public int Beta { get; init; }
    public int Cardinality { get; init; }
    public int BaseWidth { get; init; }
    public int SeReduction { get; init; }
    public int Classes { get; init; }
    public FeatureShape Input { get; init; }
    public IReadOnlyList<int> Widths { get; init; } = default!;
    public int StemKernel { get; init; }
    public int StemStride { get; init; }
    public int StemChannels { get; init; }
    public bool StemDownsample { get; init; }
    public bool StemMaxPool { get; init; }
    public IReadOnlyList<AllocationRow>? Allocation { get; init; }

    /// <summary>The stages Features returns (1 to 4, as layer1 to layer4), ascending.</summary>
    public IReadOnlyList<int> Features { get; init; } = default!;
    public TrainingDescription Training { get; init; } = default!;

    public SourceSpan NameSpan { get; init; }
    public SourceSpan StageBlocksSpan { get; init; }
    public SourceSpan AlphaSpan { get; init; }
    public SourceSpan CardinalitySpan { get; init; }
    public SourceSpan BaseWidthSpan { get; init; }
    public SourceSpan SeReductionSpan { get; init; }
    public SourceSpan InputSpan { get; init; }
    public SourceSpan WidthsSpan { get; init; }
    public bool WidthsGiven { get; init; }
    public SourceSpan ClassesSpan { get; init; }
    public SourceSpan StemChannelsSpan { get; init; }
    public SourceSpan AllocationSpan { get; init; }

    /// <summary>The file the allocation rows were read from (the spec itself for inline rows).</summary>
    public string AllocationPath { get; init; } = default!;
}
