using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>The pipeline caches: unchanged input reuses every step, and editing one spec regenerates only its model.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] StepNames =
    [
        TrackingNames.SpecFiles, TrackingNames.DataFiles, TrackingNames.Parsed, TrackingNames.Described,
        TrackingNames.Identities, TrackingNames.Emitted, TrackingNames.CatalogEntries, TrackingNames.Namespace,
    ];

    private static (GeneratorDriver Driver, List<InMemoryAdditionalText> Files) Prime()
    {
        var files = GeneratorHarness.RepositoryFiles().ToList();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(files);
        driver = driver.RunGenerators(GeneratorHarness.EmptyCompilation());
        return (driver, files);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, InMemoryAdditionalText? old = null, InMemoryAdditionalText? replacement = null)
    {
        if (old is not null) driver = driver.ReplaceAdditionalText(old, replacement!);
        return driver.RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult().Results[0];
    }

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult run, string step) =>
        run.TrackedSteps[step].SelectMany(s => s.Outputs);

    [Fact]
    public void SameInputIsServedFromTheCache()
    {
        var (driver, _) = Prime();
        var run = Rerun(driver);
        foreach (var step in StepNames)
            Assert.All(Outputs(run, step), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                step + " was " + o.Reason));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void CommentOnlyEditLeavesTheOutputUnchanged()
    {
        var (driver, files) = Prime();
        var old = files.Single(f => f.Path.EndsWith("bLResNet-50.model.yaml", StringComparison.Ordinal));
        var edited = new InMemoryAdditionalText(old.Path, "# a new first line shifts every position\n" + old.Text + "# and a trailing note\n");
        var run = Rerun(driver, old, edited);

        Assert.Contains(Outputs(run, TrackingNames.SpecFiles), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(run, TrackingNames.Emitted), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(Outputs(run, TrackingNames.CatalogEntries), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
    }

    [Fact]
    public void WidthEditRegeneratesOnlyThatModel()
    {
        var (driver, files) = Prime();
        var old = files.Single(f => f.Path.EndsWith("bLResNet-50-tiny.model.yaml", StringComparison.Ordinal));
        var edited = new InMemoryAdditionalText(old.Path, old.Text.Replace("widths: [8, 16, 32, 64]", "widths: [8, 16, 32, 128]"));
        Assert.NotEqual(old.Text, edited.Text);
        var run = Rerun(driver, old, edited);

        var emitted = Outputs(run, TrackingNames.Emitted).ToList();
        var modified = emitted.Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => (EmitResult)o.Value).ToList();
        Assert.Equal("BLResNet50Tiny.g.cs", Assert.Single(modified).HintName);
        Assert.All(emitted.Where(o => o.Reason != IncrementalStepRunReason.Modified),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.All(Outputs(run, TrackingNames.CatalogEntries), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("Linear(512, 10)", run.GeneratedSources.Single(s => s.HintName == "BLResNet50Tiny.g.cs").SourceText.ToString());
    }

    [Fact]
    public void AllocationFileEditRegeneratesOnlyTheModelUsingIt()
    {
        var (driver, files) = Prime();
        var old = files.Single(f => f.Path.EndsWith("scalenet50_light.json", StringComparison.Ordinal));
        var edited = new InMemoryAdditionalText(old.Path, old.Text.Replace("[30, 8, 10, 16, 56]", "[31, 8, 10, 16, 56]"));
        Assert.NotEqual(old.Text, edited.Text);
        var run = Rerun(driver, old, edited);

        var modified = Outputs(run, TrackingNames.Emitted).Where(o => o.Reason == IncrementalStepRunReason.Modified)
            .Select(o => ((EmitResult)o.Value).HintName).ToList();
        Assert.Equal(["ScaleNet50Light.g.cs"], modified);
        Assert.Contains("branches: [new(1, 31, 3), new(2, 8, 3), new(4, 10, 3), new(7, 16, 3)]", run.GeneratedSources.Single(s => s.HintName == "ScaleNet50Light.g.cs").SourceText.ToString());
    }

    [Fact]
    public void StepOutputsHoldNoCompilerObjects()
    {
        var (driver, _) = Prime();
        var run = driver.GetRunResult().Results[0];
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var step in StepNames)
            foreach (var (value, _) in Outputs(run, step))
                Walk(value, step, visited);
        Assert.True(visited.Count > 100, "the walk saw " + visited.Count + " objects");
    }

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Assert.False(value is ISymbol or Compilation or SyntaxNode or SyntaxTree or SemanticModel or Location or Diagnostic or AdditionalText,
            path + " holds a " + value.GetType().Name);
        if (!value.GetType().IsValueType && !visited.Add(value)) return;
        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence) Walk(item, path + "[" + i++ + "]", visited);
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.GetValue(value), path + "." + field.Name, visited);
    }
}
