using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;

namespace Dsl.Generator;

/// <summary>A spec file's path and text, the first value of the pipeline.</summary>
public sealed record SpecSource(string Path, string? Text);

/// <summary>What the catalog and the duplicate check need to know of a valid model.</summary>
public sealed record ModelIdentity(string Name, string ClassName, string FilePath, SourceSpan NameSpan);

/// <summary>The source of one model (null when it is not emitted) and the diagnostics of its spec.</summary>
public sealed record EmitResult(string FilePath, string? HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
