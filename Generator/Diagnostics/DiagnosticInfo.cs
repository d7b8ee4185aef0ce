using System;
using System.Globalization;
using System.Linq;
using Dsl.Generator.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Diagnostics;

/// <summary>
/// A diagnostic kept as plain data while it travels through the pipeline (a Roslyn Diagnostic holds a
/// Location that would defeat caching); it becomes a <see cref="Diagnostic"/> only when reported.
/// </summary>
public sealed record DiagnosticInfo(string Id, string FilePath, SourceSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, string filePath, SourceSpan span, params object[] arguments) =>
        new(descriptor.Id, filePath, span, arguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "").ToEquatableArray());

    /// <summary>A Roslyn diagnostic at the span of the file, or without a location when there is no file (a build property).</summary>
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticCatalog.ById(Id), FilePath.Length == 0 ? Location.None : Span.ToLocation(FilePath),
            Arguments.Cast<object>().ToArray());

    public string Format() => string.Format(CultureInfo.InvariantCulture, DiagnosticCatalog.ById(Id).MessageFormat.ToString(CultureInfo.InvariantCulture), Arguments.Cast<object>().ToArray());
}
