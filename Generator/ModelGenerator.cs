using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Dsl.Generator.Description;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit;
using Dsl.Generator.Infrastructure;
using Dsl.Generator.Naming;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Generator;

/// <summary>
/// Generates a model class per network spec (AdditionalFiles named *.model.yaml, *.model.yml or *.model.json)
/// and the assembly's model list, in the namespace <see cref="GeneratedNamespace"/> chooses. Other .json
/// AdditionalFiles are data files a spec may name (ScaleNet allocations).
/// Each spec flows alone through parse → describe → emit; only the model names meet, in one roster that decides
/// which spec of a shared name is generated. Editing one spec therefore regenerates only its model.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    private static readonly string[] SpecSuffixes = [".model.yaml", ".model.yml", ".model.json"];

    public static bool IsSpec(string path) => SpecSuffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    public static bool IsDataFile(string path) => !IsSpec(path) && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider;

        var specs = files
            .Where(static f => IsSpec(f.Path))
            .Select(static (f, ct) => new SpecSource(f.Path, f.GetText(ct)?.ToString()))
            .WithTrackingName(TrackingNames.SpecFiles);

        var dataFiles = files
            .Where(static f => IsDataFile(f.Path))
            .Select(static (f, ct) => new DataFile(f.Path, f.GetText(ct)?.ToString() ?? ""))
            .Collect()
            .Select(static (all, _) => all.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.DataFiles);

        var parsed = specs
            .Select(static (s, ct) => Parse(s, ct))
            .WithTrackingName(TrackingNames.Parsed);

        var described = parsed
            .Combine(dataFiles)
            .Select(static (pair, ct) => Describe(pair.Left, pair.Right, ct))
            .WithTrackingName(TrackingNames.Described);

        var identities = described
            .Select(static (r, _) => r.Network is { } n ? new ModelIdentity(n.Name, n.ClassName, r.FilePath, r.NameSpan) : null)
            .Where(static i => i is not null)
            .Collect()
            .Select(static (all, _) => all.Select(i => i!).OrderBy(i => i.FilePath, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.Identities);

        var roster = identities
            .Select(static (all, _) => ModelRoster.Of(all))
            .WithTrackingName(TrackingNames.Roster);

        // Build properties arrive as plain strings, so an unrelated edit leaves the namespace, and every output, cached.
        var namespaceProperties = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) => (Dsl: Property(o, "DslNamespace"), Root: Property(o, "RootNamespace")));
        var generatedNamespace = namespaceProperties
            .Combine(context.CompilationProvider.Select(static (c, _) => c.AssemblyName))
            .Select(static (p, _) => GeneratedNamespace.Choose(p.Left.Dsl, p.Left.Root, p.Right))
            .WithTrackingName(TrackingNames.Namespace);
        context.RegisterSourceOutput(generatedNamespace, static (spc, ns) =>
        {
            if (ns.Problem is { } problem) spc.ReportDiagnostic(problem.ToDiagnostic());
        });

        var models = described
            .Combine(roster)
            .Select(static (pair, _) => RefuseDuplicate(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Models);

        var catalog = roster
            .Select(static (r, _) => r.CatalogClassNames())
            .WithTrackingName(TrackingNames.CatalogEntries)
            .Combine(generatedNamespace);

        // A YAML file that is not named as a spec would otherwise be ignored without a word.
        var strayYaml = files
            .Where(static f => !IsSpec(f.Path) && (f.Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ||
                                                   f.Path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            .Select(static (f, _) => DiagnosticInfo.Create(DiagnosticCatalog.NotASpecFile, f.Path, SourceSpan.FileStart, SpecResolver.FileName(f.Path)))
            .WithTrackingName(TrackingNames.StrayFiles);
        context.RegisterSourceOutput(strayYaml, static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

        context.RegisterSourceOutput(models.Combine(generatedNamespace),
            static (spc, pair) => ReportDiagnosticsAndEmitSource(spc, pair.Left, pair.Right.Name));

        context.RegisterSourceOutput(catalog, static (spc, pair) =>
        {
            if (pair.Right.Name is { } namespaceName)
                spc.AddSource(CatalogEmitter.HintName, SourceText.From(CatalogEmitter.Emit(pair.Left, namespaceName), Encoding.UTF8));
        });
    }

    private static string? Property(AnalyzerConfigOptionsProvider options, string name) =>
        options.GlobalOptions.TryGetValue("build_property." + name, out var value) ? value : null;

    private static SpecParseResult Parse(SpecSource source, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (source.Text is null)
                return new SpecParseResult(source.Path, null,
                    Single(DiagnosticCatalog.SyntaxError, source.Path, SourceSpan.FileStart, "Spec", "the file could not be read"));
            return SpecParser.Parse(source.Path, source.Text);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SpecParseResult(source.Path, null, Internal(source.Path, e));
        }
    }

    private static DescribeResult Describe(SpecParseResult parsed, EquatableArray<DataFile> dataFiles, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = parsed.Diagnostics.ToList();
        try
        {
            if (parsed.Spec is null || diagnostics.Count > 0)
                return new DescribeResult(parsed.FilePath, null, SourceSpan.FileStart, diagnostics.ToEquatableArray());
            var resolved = SpecResolver.Resolve(parsed.Spec, dataFiles, diagnostics);
            var network = resolved is null ? null : NetworkBuilder.Build(resolved, diagnostics);
            return new DescribeResult(parsed.FilePath, network, resolved?.NameSpan ?? SourceSpan.FileStart, diagnostics.ToEquatableArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new DescribeResult(parsed.FilePath, null, SourceSpan.FileStart, Internal(parsed.FilePath, e));
        }
    }

    /// <summary>The described model, or only its diagnostics when an earlier spec took its name.</summary>
    private static ModelOutput RefuseDuplicate(DescribeResult described, ModelRoster roster) =>
        roster.DuplicateAt(described.FilePath) is { } duplicate
            ? new ModelOutput(described.FilePath, null, described.Diagnostics.Append(duplicate).ToEquatableArray())
            : new ModelOutput(described.FilePath, described.Network, described.Diagnostics);

    /// <summary>Reports a spec's diagnostics, then writes its model when there is one; the emitters never validate.</summary>
    private static void ReportDiagnosticsAndEmitSource(SourceProductionContext context, ModelOutput model, string? namespaceName)
    {
        foreach (var diagnostic in model.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
        // A bad namespace is reported once, by its own output.
        if (model.Network is not { } network || namespaceName is null) return;
        try
        {
            // Both texts first, so a failure leaves neither half of the class behind.
            var classText = ModelEmitter.Emit(network, namespaceName);
            var summaryText = SummaryEmitter.Emit(network, namespaceName);
            context.AddSource(ModelEmitter.HintName(network), SourceText.From(classText, Encoding.UTF8));
            context.AddSource(SummaryEmitter.HintName(network), SourceText.From(summaryText, Encoding.UTF8));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Internal(model.FilePath, e)[0].ToDiagnostic());
        }
    }

    private static EquatableArray<DiagnosticInfo> Single(DiagnosticDescriptor descriptor, string path, SourceSpan span, params object[] args) =>
        new([DiagnosticInfo.Create(descriptor, path, span, args)]);

    private static EquatableArray<DiagnosticInfo> Internal(string path, Exception e) =>
        Single(DiagnosticCatalog.InternalError, path, SourceSpan.FileStart, e.GetType().Name + ": " + e.Message);
}
