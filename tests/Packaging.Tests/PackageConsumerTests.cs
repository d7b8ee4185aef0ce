namespace Dsl.Packaging.Tests;

/// <summary>
/// The packages of scripts/pack.sh used from outside the repository: specs become classes in the consuming
/// project's namespace, the models run, and two assemblies' models meet in one catalog.
/// </summary>
public sealed class PackageConsumerTests(ConsumerSolution solution) : IClassFixture<ConsumerSolution>
{
    [Fact]
    public void ModelsTakeTheRootNamespaceOrDslNamespaceAndRun()
    {
        // LibA: a ScaleNet whose allocation file lies beside its spec; LibB: DslNamespace=Acme.Models, 7 classes.
        Assert.Contains(solution.Output, l => l.StartsWith("LibA.ScaleNetTiny: output [2, 10], declared ", StringComparison.Ordinal));
        Assert.Contains(solution.Output, l => l.StartsWith("Acme.Models.BLResNetTiny: output [2, 7], declared ", StringComparison.Ordinal));
        foreach (var line in solution.Output.Where(l => l.Contains("declared", StringComparison.Ordinal)))
        {
            var declared = long.Parse(line.Split("declared ")[1].Split(',')[0]);
            var counted = long.Parse(line.Split("counted ")[1]);
            Assert.True(declared > 0 && declared == counted, line);
        }
    }

    [Fact]
    public void TwoAssembliesWithSpecsShareOneCatalog()
    {
        Assert.Contains("catalog: ScaleNet-Tiny, bLResNet-Tiny", solution.Output);
    }
}
