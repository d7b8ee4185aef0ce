using System.Collections.Immutable;
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

    /// <summary>
    /// Runs the generator, then reruns it on a copy of the compilation with fresh copies of the same files, and
    /// requires equal outputs served from the cache at every step (<see cref="CachingAssertions.AssertRunsEqual"/>):
    /// the steps reading the files run again and must give equal values, so every later step is cached. Returns
    /// the first run.
    /// </summary>
    public static GeneratorDriverRunResult Run(IEnumerable<AdditionalText> files)
    {
        var texts = files.ToList();
        var compilation = EmptyCompilation();
        var driver = CreateDriver(texts).RunGenerators(compilation);
        var first = driver.GetRunResult();
        Assert.True(first.Results[0].Exception is null, "the generator threw: " + first.Results[0].Exception);
        var copies = texts.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.GetText()!.ToString())).ToImmutableArray();
        var second = driver.ReplaceAdditionalTexts(copies).RunGenerators(compilation.Clone()).GetRunResult();
        CachingAssertions.AssertRunsEqual(first.Results[0], second.Results[0]);
        return first;
    }

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
