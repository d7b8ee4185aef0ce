using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Dsl.Generator;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Trainer.Specs;

/// <summary>
/// Builds a model from a spec file at run time, as the build does for structures/: the model generator runs on
/// the spec (and the data file it names, if any), the generated sources compile in memory against Dsl.Runtime and
/// TorchSharp, and the assembly loads into its own context.
/// </summary>
public static class SpecCompiler
{
    /// <summary>
    /// The largest spec or data file read, in bytes: the generator refuses files of more than
    /// <see cref="SpecReader.MaxCharacters"/> characters, which UTF-8 spells in at most four bytes each.
    /// </summary>
    public const long MaxFileBytes = 4L * SpecReader.MaxCharacters;

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
        var text = Read(path, path);
        var files = new List<AdditionalText> { new SpecFile(path, text) };
        // Only the file the spec names; a missing one is the generator's located error.
        if (NamedDataFile(path, text) is { } data && File.Exists(data)) files.Add(new SpecFile(data, Read(path, data)));

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

    /// <summary>The allocation file the spec names, beside the spec as the generator looks for it; null when it names none.</summary>
    private static string? NamedDataFile(string specPath, string text)
    {
        if (SpecParser.Parse(specPath, text).Spec?.AllocationFile?.Value is not { } reference) return null;
        var data = Path.Combine(Path.GetDirectoryName(specPath) ?? "", reference.Replace('\\', '/').TrimStart('/'));
        return ModelGenerator.IsDataFile(data) ? data : null;
    }

    private static string Read(string specPath, string file)
    {
        try
        {
            return RegularFile.ReadAllText(file, MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecCompilationException(specPath, [$"{file}: error: {e.Message}"]);
        }
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
