namespace Dsl.Generator.Tests;

/// <summary>
/// Editing one spec regenerates only its model. (That an unchanged rerun reuses every step is checked on every
/// generator run, by <see cref="GeneratorHarness.Run(IEnumerable{AdditionalText})"/>.)
/// </summary>
public sealed class IncrementalTests
{
    private static (GeneratorDriver Driver, List<InMemoryAdditionalText> Files) Prime()
    {
        var files = GeneratorHarness.RepositoryFiles().ToList();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(files);
        driver = driver.RunGenerators(GeneratorHarness.EmptyCompilation());
        return (driver, files);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, InMemoryAdditionalText old, InMemoryAdditionalText replacement) =>
        driver.ReplaceAdditionalText(old, replacement).RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult().Results[0];

    // Primes the generator on the repository's files, edits the one whose path ends so, and runs the generator again.
    private static GeneratorRunResult RunAfterEdit(string fileName, Func<string, string> edit)
    {
        var (driver, files) = Prime();
        var old = files.Single(f => f.Path.EndsWith(fileName, StringComparison.Ordinal));
        var edited = new InMemoryAdditionalText(old.Path, edit(old.Text));
        Assert.NotEqual(old.Text, edited.Text);
        return Rerun(driver, old, edited);
    }

    /// <summary>The class names of the models whose step output changed.</summary>
    private static List<string?> ModifiedModels(GeneratorRunResult run) =>
        Outputs(run, TrackingNames.Models).Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => ClassName(o.Value)).ToList();

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult run, string step) =>
        run.TrackedSteps[step].SelectMany(s => s.Outputs);

    [Fact]
    public void CommentOnlyEditLeavesTheOutputUnchanged()
    {
        var run = RunAfterEdit("bLResNet-50.model.yaml", text => "# a new first line shifts every position\n" + text + "# and a trailing note\n");

        Assert.Contains(Outputs(run, TrackingNames.SpecFiles), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(run, TrackingNames.Models), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(Outputs(run, TrackingNames.CatalogEntries), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
    }

    [Fact]
    public void WidthEditRegeneratesOnlyThatModel()
    {
        var run = RunAfterEdit("bLResNet-50-tiny.model.yaml", text => text.Replace("widths: [8, 16, 32, 64]", "widths: [8, 16, 32, 128]"));

        var models = Outputs(run, TrackingNames.Models).ToList();
        var modified = models.Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => ClassName(o.Value)).ToList();
        Assert.Equal(["BLResNet50Tiny"], modified);
        Assert.All(models.Where(o => o.Reason != IncrementalStepRunReason.Modified),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.All(Outputs(run, TrackingNames.CatalogEntries), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        // Only that model's sources are written again: one source output ran, the others came from the cache.
        Assert.Single(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Linear(512, 10)", run.GeneratedSources.Single(s => s.HintName == "BLResNet50Tiny.g.cs").SourceText.ToString());
    }

    [Fact]
    public void FeaturesEditRegeneratesOnlyThatModel()
    {
        var run = RunAfterEdit("bLResNet-50-tiny.model.yaml", text => text.Replace("classes: 10\n", "classes: 10\nfeatures: [2, 4]\n"));

        Assert.Equal(["BLResNet50Tiny"], ModifiedModels(run));
        Assert.All(Outputs(run, TrackingNames.CatalogEntries), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        var source = run.GeneratedSources.Single(s => s.HintName == "BLResNet50Tiny.g.cs").SourceText.ToString();
        Assert.Contains("FeatureChannels { get; } = [64, 256];", source);
        Assert.DoesNotContain("Stage1Channels", source);
    }

    [Fact]
    public void AllocationFileEditRegeneratesOnlyTheModelUsingIt()
    {
        var run = RunAfterEdit("scalenet50_light.json", text => text.Replace("[30, 8, 10, 16, 56]", "[31, 8, 10, 16, 56]"));

        Assert.Equal(["ScaleNet50Light"], ModifiedModels(run));
        Assert.Contains("branches: [new(scale: 1, channels: 31)", run.GeneratedSources.Single(s => s.HintName == "ScaleNet50Light.g.cs").SourceText.ToString());
    }

    [Fact]
    public void RenamingAModelRevisesTheDuplicateOnlyOfTheSpecsSharingTheName()
    {
        var files = new List<InMemoryAdditionalText>
        {
            GeneratorHarness.Spec("a.model.yaml", "name: Net-A\nfamily: resnet\ndepth: 50\n"),
            GeneratorHarness.Spec("b.model.yaml", "name: Net-B\nfamily: resnet\ndepth: 50\n"),
            GeneratorHarness.Spec("c.model.yaml", "name: Net-C\nfamily: resnet\ndepth: 50\n"),
        };
        GeneratorDriver driver = GeneratorHarness.CreateDriver(files).RunGenerators(GeneratorHarness.EmptyCompilation());
        var renamed = GeneratorHarness.Spec("b.model.yaml", "name: net-a\nfamily: resnet\ndepth: 50\n");
        var run = Rerun(driver, files[1], renamed);

        // b now repeats a's name: only b's model step changes (to its diagnostic), and c's output is not rewritten.
        var models = Outputs(run, TrackingNames.Models).ToList();
        var changed = Assert.Single(models, o => o.Reason == IncrementalStepRunReason.Modified);
        var refused = (ModelOutput)changed.Value;
        Assert.Null(refused.Network);
        Assert.Equal("DSL0011", Assert.Single(refused.Diagnostics).Id);
        Assert.Equal(["GeneratedModels.g.cs", "NetA.Summary.g.cs", "NetA.g.cs", "NetC.Summary.g.cs", "NetC.g.cs"],
            run.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheCacheCheckRejectsACompilerObjectInAStepOutput()
    {
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C {}");
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            CachingAssertions.AssertHoldsNoCompilerObjects(new { Name = "x", Items = new object[] { 1, tree.GetRoot().GetLocation() } }, "Step"));
        Assert.Contains("Items>i__Field[1] holds a SourceLocation", error.Message);
    }

    private static string? ClassName(object modelStepOutput) => ((ModelOutput)modelStepOutput).Network?.ClassName;
}
