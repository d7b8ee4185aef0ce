using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;

namespace Dsl.Generator.Description;

/// <summary>A spec turned into a network, or the reasons it could not be.</summary>
public sealed record DescribeResult(string FilePath, NetworkDescription? Network, SourceSpan NameSpan, EquatableArray<DiagnosticInfo> Diagnostics);
