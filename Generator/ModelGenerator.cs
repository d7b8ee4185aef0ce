using System;
using System.Collections.Generic;
using System.Linq;
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
/// Each spec flows alone through parse → describe → emit, so editing one spec regenerates only its model.
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

        var emitted = described
            .Combine(identities)
            .Combine(generatedNamespace)
            .Select(static (pair, ct) => EmitModel(pair.Left.Left, pair.Left.Right, pair.Right.Name))
            .WithTrackingName(TrackingNames.Emitted);

        var catalog = identities
            .Select(static (all, _) => CatalogClassNames(all))
            .WithTrackingName(TrackingNames.CatalogEntries)
            .Combine(generatedNamespace);

        // A YAML file that is not named as a spec would otherwise be ignored without a word.
        var strayYaml = files
            .Where(static f => !IsSpec(f.Path) && (f.Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ||
                                                   f.Path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            .Select(static (f, _) => DiagnosticInfo.Create(DiagnosticCatalog.NotASpecFile, f.Path, SourceSpan.FileStart, SpecResolver.FileName(f.Path)))
            .WithTrackingName(TrackingNames.StrayFiles);
        context.RegisterSourceOutput(strayYaml, static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

        context.RegisterSourceOutput(emitted, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.HintName is null || result.Source is null) return;
            try
            {
                spc.AddSource(result.HintName, SourceText.From(result.Source, System.Text.Encoding.UTF8));
            }
            catch (ArgumentException e)
            {
                spc.ReportDiagnostic(Internal(result.FilePath, e)[0].ToDiagnostic());
            }
        });

        context.RegisterSourceOutput(catalog, static (spc, pair) =>
        {
            if (pair.Right.Name is { } namespaceName)
                spc.AddSource(CatalogEmitter.HintName, SourceText.From(CatalogEmitter.Emit(pair.Left, namespaceName), System.Text.Encoding.UTF8));
        });
    }

    private static string? Property(AnalyzerConfigOptionsProvider options, string name) =>
        options.GlobalOptions.TryGetValue("build_property." + name, out var value) ? value : null;

    private static ParseResult Parse(SpecSource source, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (source.Text is null)
                return new ParseResult(source.Path, null,
                    Single(DiagnosticCatalog.SyntaxError, source.Path, SourceSpan.FileStart, "Spec", "the file could not be read"));
            return SpecParser.Parse(source.Path, source.Text);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ParseResult(source.Path, null, Internal(source.Path, e));
        }
    }

    private static DescribeResult Describe(ParseResult parsed, EquatableArray<DataFile> dataFiles, CancellationToken cancellationToken)
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

    /// <summary>The model's source, or only its diagnostics when it is invalid or the namespace is (reported once, apart).</summary>
    private static EmitResult EmitModel(DescribeResult described, EquatableArray<ModelIdentity> identities, string? namespaceName)
    {
        if (described.Network is not { } network || namespaceName is null)
            return new EmitResult(described.FilePath, null, null, described.Diagnostics);
        try
        {
            var earlier = identities.FirstOrDefault(i => string.CompareOrdinal(i.FilePath, described.FilePath) < 0 &&
                (string.Equals(i.Name, network.Name, StringComparison.OrdinalIgnoreCase) ||
                 string.Equals(i.ClassName, network.ClassName, StringComparison.OrdinalIgnoreCase)));
            if (earlier is not null)
            {
                var what = string.Equals(earlier.Name, network.Name, StringComparison.OrdinalIgnoreCase) ? "Model name" : "Class name";
                var value = what == "Model name" ? network.Name : network.ClassName;
                var diagnostics = described.Diagnostics.Concat([
                    DiagnosticInfo.Create(DiagnosticCatalog.DuplicateName, described.FilePath, described.NameSpan, what, value,
                        SpecResolver.FileName(earlier.FilePath)),
                ]).ToEquatableArray();
                return new EmitResult(described.FilePath, null, null, diagnostics);
            }
            return new EmitResult(described.FilePath, ModelEmitter.HintName(network), ModelEmitter.Emit(network, namespaceName), described.Diagnostics);
        }
        catch (Exception e)
        {
            return new EmitResult(described.FilePath, null, null, Internal(described.FilePath, e));
        }
    }

    /// <summary>Class names for the catalog: the first spec (by path) of each name, in natural order of the model names.</summary>
    private static EquatableArray<string> CatalogClassNames(EquatableArray<ModelIdentity> identities)
    {
        var seenNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Hint names are compared without case, so class names must differ in more than case.
        var seenClasses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var kept = new List<ModelIdentity>();
        foreach (var identity in identities)
            if (seenNames.Add(identity.Name) & seenClasses.Add(identity.ClassName))
                kept.Add(identity);
        return kept.OrderBy(i => i.Name, NaturalOrder.Instance).Select(i => i.ClassName).ToEquatableArray();
    }

    private static EquatableArray<DiagnosticInfo> Single(DiagnosticDescriptor descriptor, string path, SourceSpan span, params object[] args) =>
        new([DiagnosticInfo.Create(descriptor, path, span, args)]);

    private static EquatableArray<DiagnosticInfo> Internal(string path, Exception e) =>
        Single(DiagnosticCatalog.InternalError, path, SourceSpan.FileStart, e.GetType().Name + ": " + e.Message);
}
