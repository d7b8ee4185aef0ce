using Dsl.Generator.Description;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;

namespace Dsl.Generator;

/// <summary>A spec file's path and text, the first value of the pipeline.</summary>
public sealed record SpecSource(string Path, string? Text);

/// <summary>What the model roster needs to know of a valid model.</summary>
public sealed record ModelIdentity(string Name, string ClassName, string FilePath, SourceSpan NameSpan);

/// <summary>
/// What the source output gets for one spec: its diagnostics and, when it is valid and its names are its own,
/// the network to write. Holds no positions beyond the diagnostics', so an edit that moves text without
/// changing the network leaves it equal and the source is not written again.
/// </summary>
public sealed record ModelOutput(string FilePath, NetworkDescription? Network, EquatableArray<DiagnosticInfo> Diagnostics);
