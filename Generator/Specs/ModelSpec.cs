using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;

namespace Dsl.Generator.Specs;

/// <summary>A spec value with the range of the text it was read from.</summary>
public readonly record struct Located<T>(T Value, SourceSpan Span);

/// <summary>One row of a ScaleNet allocation: channels of the scale-1, 2, 4 and 7 branches and the side it was designed for.</summary>
public sealed record AllocationRow(EquatableArray<int> Channels, int Side, SourceSpan Span);

/// <summary>The stem options; absent values take the family's defaults.</summary>
public sealed record StemSpec(Located<int>? Kernel, Located<int>? Stride, Located<int>? Channels, Located<bool>? Downsample,
    Located<bool>? MaxPool, SourceSpan Span);

/// <summary>
/// A spec as written, after type checks and before any architectural rule is applied. Every value keeps
/// its location so later checks can point at it.
/// </summary>
public sealed record ModelSpec(
    string FilePath,
    SourceSpan RootSpan,
    Located<string>? Name,
    Located<string>? Family,
    Located<string>? Block,
    Located<int>? Depth,
    Located<EquatableArray<int>>? Blocks,
    Located<int>? Alpha,
    Located<int>? Beta,
    Located<int>? Cardinality,
    Located<int>? BaseWidth,
    Located<int>? SeReduction,
    Located<int>? Classes,
    Located<EquatableArray<int>>? Input,
    Located<EquatableArray<int>>? Widths,
    StemSpec? Stem,
    Located<EquatableArray<AllocationRow>>? Allocation,
    Located<string>? AllocationFile,
    Located<EquatableArray<Located<int>>>? Features,
    TrainingSpec? Training);
