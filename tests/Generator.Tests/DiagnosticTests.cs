namespace Dsl.Generator.Tests;

/// <summary>Bad specs give located diagnostics (pinned in snapshots) and never generate their model.</summary>
public sealed class DiagnosticTests
{
    public static TheoryData<string> Cases() => [.. BadSpecCases.All.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadSpecDiagnosticsMatchTheirSnapshot(string name)
    {
        var files = BadSpecCases.All[name].Select(f => GeneratorHarness.Spec(f.Path, f.Text)).ToList();
        var result = GeneratorHarness.Run(files);

        Assert.Null(result.Results[0].Exception);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.StartsWith("DSL", d.Id));
        Assert.All(result.Diagnostics, d => Assert.True(d.Location.IsInSource || d.Location.Kind == LocationKind.ExternalFile, d.ToString()));
        Snapshot.Verify("Diagnostics/" + name, DiagnosticFormatter.Format(result.Diagnostics, files));
    }

    [Fact]
    public void EverySnapshotHasABadSpecCase() => Snapshot.AssertNoOrphans("Diagnostics", BadSpecCases.All.Keys);

    [Fact]
    public void ABadSpecGeneratesNoModelButTheCatalogStays()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Spec("bad.model.yaml", "name: Bad\nfamily: big-little\ndepth: 34\n"),
            GeneratorHarness.Spec("good.model.yaml", "name: Good\nfamily: resnet\ndepth: 50\n"));
        var hints = result.Results[0].GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["GeneratedModels.g.cs", "Good.Summary.g.cs", "Good.g.cs"], hints);
    }

    [Fact]
    public void DiagnosticsPointAtTheExactText()
    {
        const string text = "name: Bad\nfamily: big-little\ndepth: 50\nalpah: 2\n";
        var diagnostic = OnlyDiagnostic("bad.model.yaml", text, "DSL0002");
        Assert.Contains("did you mean 'alpha'", diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(3, 0), span.StartLinePosition);
        Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(3, 5), span.EndLinePosition);
        Assert.Equal("alpah", text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Theory]
    [InlineData("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: [50", 2, 7)]
    [InlineData("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: [50\n\n", 2, 7)]
    [InlineData("bad.model.yaml", "name: Bad\nfamily: [big-little\ndepth: 50\n", 1, 8)]
    [InlineData("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\nstem: {kernel: 3\n", 3, 6)]
    [InlineData("bad.model.yaml", "name: Bad\nfamily: resnet\nblocks: [3, 4, [6, 3]\n", 2, 8)]
    [InlineData("bad.model.json", "{\n  \"name\": \"Bad\",\n  \"family\": \"resnet\",\n  \"depth\": 50\n", 0, 0)]
    [InlineData("bad.model.json", "{\n  \"name\": \"Bad\",\n  \"input\": [3, 224, 224\n}\n", 2, 11)]
    [InlineData("bad.model.json", "{ \"name\": \"Bad\", \"stem\": { \"kernel\": 7 }, \"family\": { \"x\": 1\n", 0, 52)]
    public void AnUnclosedBracketIsReportedWhereItOpens(string file, string text, int line, int column)
    {
        var diagnostic = OnlyDiagnostic(file, text, "DSL0001");
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(line, column), span.StartLinePosition);
        Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(line, column + 1), span.EndLinePosition);
        var bracket = text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
        Assert.Contains(bracket, new[] { "[", "{" });
        Assert.EndsWith("this '" + bracket + "' is never closed", diagnostic.GetMessage());
    }

    [Fact]
    public void AClosedButBrokenBracketIsReportedWhereReadingStopped()
    {
        const string text = "{\n  \"name\": \"Bad\"\n  \"family\": \"resnet\"\n}\n";
        var diagnostic = OnlyDiagnostic("bad.model.json", text, "DSL0001");
        Assert.DoesNotContain("never closed", diagnostic.GetMessage());
        Assert.NotEqual(0, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Theory]
    [InlineData("  epochs: -3\n", "DSL0005", 4, 10, "'training.epochs' is -3, but it must be between 1 and 100000")]
    [InlineData("  ema: 1\n", "DSL0005", 4, 7, "'training.ema' is 1, but it must be at least 0 and below 1")]
    [InlineData("  holdout: -1\n", "DSL0005", 4, 11, "'training.holdout' is -1, but it must be between 0 and 1000000")]
    [InlineData("  schedule: cosin\n", "DSL0021", 4, 12, "'training.schedule' is 'cosin', but it must be one of cosine, step, warmup-cosine; did you mean 'cosine'?")]
    [InlineData("  momentm: 0.9\n", "DSL0002", 4, 2, "Unknown key 'momentm' in 'training'; did you mean 'momentum'?")]
    public void TrainingDiagnosticsPointAtTheValue(string line, string id, int zeroBasedLine, int zeroBasedColumn, string message)
    {
        var text = "name: Bad\nfamily: resnet\ndepth: 50\ntraining:\n" + line;
        var diagnostic = Assert.Single(GeneratorHarness.Run(GeneratorHarness.Spec("bad.model.yaml", text)).Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(zeroBasedLine, zeroBasedColumn), diagnostic.Location.GetLineSpan().StartLinePosition);
    }

    [Fact]
    public void EveryDiagnosticHasADocumentPage()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "docs", "diagnostics");
        foreach (var descriptor in Diagnostics.DiagnosticCatalog.All)
        {
            var page = Path.Combine(folder, descriptor.Id + ".md");
            Assert.True(File.Exists(page), "missing " + page);
            Assert.StartsWith("# " + descriptor.Id, File.ReadAllText(page));
        }
        Assert.Equal(Diagnostics.DiagnosticCatalog.All.Count, Diagnostics.DiagnosticCatalog.All.Select(d => d.Id).Distinct().Count());
    }

    // The one diagnostic the spec gives, which must be of this id.
    private static Diagnostic OnlyDiagnostic(string file, string text, string id)
    {
        var diagnostic = Assert.Single(GeneratorHarness.Run(GeneratorHarness.Spec(file, text)).Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        return diagnostic;
    }
}
