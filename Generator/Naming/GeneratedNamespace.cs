using System;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generator.Naming;

/// <summary>
/// The namespace of the generated classes: the MSBuild property DslNamespace, else RootNamespace, else the
/// assembly name. <see cref="Name"/> is null and <see cref="Problem"/> says why when the value is no C# namespace.
/// </summary>
public sealed record GeneratedNamespace(string? Name, DiagnosticInfo? Problem)
{
    public static GeneratedNamespace Choose(string? dslNamespace, string? rootNamespace, string? assemblyName)
    {
        var (source, value) =
            !string.IsNullOrWhiteSpace(dslNamespace) ? ("DslNamespace", dslNamespace!) :
            !string.IsNullOrWhiteSpace(rootNamespace) ? ("RootNamespace", rootNamespace!) :
            ("The assembly name", assemblyName ?? "");
        value = value.Trim();
        var reason = Flaw(value);
        return reason is null
            ? new GeneratedNamespace(value, null)
            : new GeneratedNamespace(null, DiagnosticInfo.Create(DiagnosticCatalog.InvalidNamespace, "", default, source, value, reason));
    }

    /// <summary>Why this is not a dotted sequence of C# identifiers, or null when it is one.</summary>
    private static string? Flaw(string value)
    {
        if (value.Length == 0) return "it is empty";
        var bad = value.Split('.').FirstOrDefault(part =>
            !SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None);
        if (bad is null) return null;
        return bad.Length == 0 ? "it has an empty part" :
            SyntaxFacts.GetKeywordKind(bad) != SyntaxKind.None ? "'" + bad + "' is a C# keyword" :
            "'" + bad + "' is not a C# identifier";
    }
}
