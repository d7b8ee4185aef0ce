using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generator.Tests;

/// <summary>Runs the model generator on in-memory files, the way the compiler runs it.</summary>
internal static class GeneratorHarness
{
    /// <summary>A driver over these files, with the build properties of the Definitions project unless others are given.</summary>
    public static CSharpGeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, BuildProperties? properties = null) =>
        (CSharpGeneratorDriver)CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            additionalTexts: files,
            parseOptions: ParseOptions,
            optionsProvider: properties ?? BuildProperties.Definitions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    public static CSharpCompilation EmptyCompilation() =>
        CSharpCompilation.Create("Specs", references: [], options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    public static GeneratorDriverRunResult Run(params AdditionalText[] files) => Run((IEnumerable<AdditionalText>)files);

    public static GeneratorDriverRunResult Run(IEnumerable<AdditionalText> files) =>
        CreateDriver(files).RunGenerators(EmptyCompilation()).GetRunResult();

    /// <summary>Every spec and data file in structures/.</summary>
    public static ImmutableArray<InMemoryAdditionalText> RepositoryFiles() =>
    [
        .. Directory.GetFiles(RepositoryPaths.Structures)
            .Where(p => ModelGenerator.IsSpec(p) || ModelGenerator.IsDataFile(p))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new InMemoryAdditionalText(p, File.ReadAllText(p))),
    ];

    public static InMemoryAdditionalText Spec(string name, string text) => new("/specs/" + name, text);
}
