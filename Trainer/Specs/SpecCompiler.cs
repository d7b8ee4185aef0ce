using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Dsl.Generator;
using Dsl.Runtime.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Trainer.Specs;

/// <summary>
/// Builds a model from a spec file at run time, as the build does for structures/: the model generator runs on
/// the spec (and the JSON data files beside it), the generated sources compile in memory against Dsl.Runtime and
/// TorchSharp, and the assembly loads into its own context.
/// </summary>
public static class SpecCompiler
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ModelInfo).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(torch).Assembly.Location),
    ]);

    /// <summary>The model the spec at <paramref name="path"/> defines; errors in the spec throw <see cref="SpecCompilationException"/>.</summary>
    public static ModelInfo Compile(string path)
    {
        var files = new List<AdditionalText> { new SpecFile(path, File.ReadAllText(path)) };
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var data in Directory.EnumerateFiles(folder, "*.json").Where(ModelGenerator.IsDataFile).Order(StringComparer.Ordinal))
            files.Add(new SpecFile(Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileName(data)), File.ReadAllText(data)));

        var driver = CSharpGeneratorDriver.Create([new ModelGenerator().AsSourceGenerator()], additionalTexts: files, parseOptions: ParseOptions);
        var compilation = CSharpCompilation.Create("DslSpec" + Guid.NewGuid().ToString("N"), references: References.Value,
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        ThrowOnErrors(path, generatorDiagnostics);

        using var image = new MemoryStream();
        var emitted = generated.Emit(image);
        ThrowOnErrors(path, emitted.Diagnostics);
        image.Position = 0;
        var assembly = new AssemblyLoadContext("spec " + path).LoadFromStream(image);
        var models = ModelCatalog.Of(assembly).All;
        return models.Count == 1
            ? models[0]
            : throw new SpecCompilationException(path, [$"{path}: error: the spec produced {models.Count} models, not one"]);
    }

    private static void ThrowOnErrors(string path, IEnumerable<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .Select(Format)
            .ToList();
        if (errors.Count > 0) throw new SpecCompilationException(path, errors);
    }

    /// <summary>MSBuild's form, <c>path(line,col): error ID: message</c>, with the path as given.</summary>
    private static string Format(Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        var id = diagnostic.Id;
        if (!diagnostic.Location.IsInSource && diagnostic.Location.Kind != LocationKind.ExternalFile) return $"error {id}: {message}";
        var span = diagnostic.Location.GetLineSpan();
        return string.Create(CultureInfo.InvariantCulture,
            $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {id}: {message}");
    }

    private sealed class SpecFile(string path, string text) : AdditionalText
    {
        private readonly SourceText source = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => source;
    }
}
