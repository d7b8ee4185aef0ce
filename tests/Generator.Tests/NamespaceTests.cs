namespace Dsl.Generator.Tests;

/// <summary>Generated classes go into DslNamespace, else RootNamespace, else the assembly name; a bad value is DSL0020.</summary>
public sealed class NamespaceTests
{
    private static readonly InMemoryAdditionalText Spec = GeneratorHarness.Spec("net.model.yaml", "name: Net-50\nfamily: resnet\ndepth: 50\n");

    private static GeneratorDriverRunResult Run(Dictionary<string, string> properties) =>
        GeneratorHarness.CreateDriver([Spec], new BuildProperties(properties))
            .RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult();

    private static string Source(GeneratorDriverRunResult result, string hint) =>
        result.Results[0].GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();

    [Fact]
    public void RootNamespaceHoldsTheModelsAndTheAssemblysList()
    {
        var result = Run(new() { ["RootNamespace"] = "Acme.Vision" });
        Assert.Empty(result.Diagnostics);
        Assert.Contains("\nnamespace Acme.Vision;\n", Source(result, "Net50.g.cs"));
        var catalog = Source(result, "GeneratedModels.g.cs");
        Assert.Contains("[assembly: global::Dsl.Runtime.Models.ModelSource(typeof(global::Acme.Vision.GeneratedModels))]", catalog);
        Assert.Contains("\nnamespace Acme.Vision;\n", catalog);
        Assert.Contains("internal sealed class GeneratedModels : global::Dsl.Runtime.Models.IModelSource", catalog);
        Assert.Contains("global::Acme.Vision.Net50.Info,", catalog);
    }

    [Fact]
    public void DslNamespaceOverridesRootNamespace()
    {
        var result = Run(new() { ["RootNamespace"] = "Acme.Vision", ["DslNamespace"] = "Acme.Models" });
        Assert.Empty(result.Diagnostics);
        Assert.Contains("\nnamespace Acme.Models;\n", Source(result, "Net50.g.cs"));
        Assert.Contains("typeof(global::Acme.Models.GeneratedModels)", Source(result, "GeneratedModels.g.cs"));
    }

    [Fact]
    public void WithoutPropertiesTheAssemblyNameIsTheNamespace()
    {
        var result = Run([]);
        Assert.Empty(result.Diagnostics);
        Assert.Contains("\nnamespace Specs;\n", Source(result, "Net50.g.cs"));
    }

    [Theory]
    [InlineData("DslNamespace", "my-nets", "DslNamespace 'my-nets' cannot be the namespace of the generated models: 'my-nets' is not a C# identifier")]
    [InlineData("RootNamespace", "Acme.class", "RootNamespace 'Acme.class' cannot be the namespace of the generated models: 'class' is a C# keyword")]
    [InlineData("RootNamespace", "Acme..Models", "RootNamespace 'Acme..Models' cannot be the namespace of the generated models: it has an empty part")]
    [InlineData("DslNamespace", "3D.Models", "DslNamespace '3D.Models' cannot be the namespace of the generated models: '3D' is not a C# identifier")]
    public void ABadNamespaceIsReportedOnceAndGeneratesNothing(string property, string value, string message)
    {
        var result = Run(new() { [property] = value });
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DSL0020", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.StartsWith(message + "; set the MSBuild property DslNamespace", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(result.Results[0].GeneratedSources);
    }

    [Fact]
    public void ChangingTheNamespaceRegeneratesEveryOutput()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver([Spec], new BuildProperties(new Dictionary<string, string> { ["RootNamespace"] = "A" }));
        driver = driver.RunGenerators(GeneratorHarness.EmptyCompilation());
        driver = driver.WithUpdatedAnalyzerConfigOptions(new BuildProperties(new Dictionary<string, string> { ["RootNamespace"] = "B" }));
        var run = driver.RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult();
        Assert.Equal(3, run.Results[0].GeneratedSources.Length);
        Assert.All(run.Results[0].GeneratedSources, s => Assert.Contains("\nnamespace B;\n", s.SourceText.ToString()));
        Assert.All(run.Results[0].TrackedSteps[TrackingNames.Namespace].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
    }
}
