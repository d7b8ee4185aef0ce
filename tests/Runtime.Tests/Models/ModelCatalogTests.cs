using Dsl.Runtime.Models;

namespace Dsl.Runtime.Tests.Models;

/// <summary>Lookup by name, suggestions, and catalogs joined from several sources.</summary>
public sealed class ModelCatalogTests
{
    private static ModelInfo Model(string name) =>
        new(name, "resnet", "bottleneck", 3, 32, 32, 10, 1, 1, [], () => throw new NotSupportedException("not built in these tests"));

    private static readonly ModelCatalog First = new([Model("bLResNet-50"), Model("bLResNet-101")]);
    private static readonly ModelCatalog Second = new([Model("ScaleNet-50")]);

    [Fact]
    public void FindIgnoresCaseAndReturnsNullForAnUnknownName()
    {
        Assert.Same(First.All[1], First.Find("BLRESNET-101"));
        Assert.Null(First.Find("bLResNet-51"));
    }

    [Fact]
    public void GetNamesTheNearestModelsWhenTheNameIsUnknown()
    {
        var catalog = ModelCatalog.Combine(First, Second);
        var error = Assert.Throws<KeyNotFoundException>(() => catalog.Get("bLResNet-5O"));
        Assert.StartsWith("No model named 'bLResNet-5O'. Nearest: bLResNet-50, bLResNet-101, ScaleNet-50.", error.Message);
        Assert.Contains("empty", Assert.Throws<KeyNotFoundException>(() => ModelCatalog.Empty.Get("x")).Message);
    }

    [Fact]
    public void CombineKeepsTheOrderOfItsCatalogs()
    {
        Assert.Equal(["ScaleNet-50", "bLResNet-50", "bLResNet-101"], ModelCatalog.Combine(Second, First).All.Select(m => m.Name));
    }

    [Fact]
    public void ANameTwiceIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Combine(First, new ModelCatalog([Model("BLRESNET-50")])));
        Assert.Contains("Two models are named 'BLRESNET-50'", error.Message);
    }

    [Fact]
    public void AnAssemblyWithoutGeneratedModelsIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Of(typeof(ModelCatalogTests).Assembly));
        Assert.Contains("Assembly 'Dsl.Runtime.Tests' has no generated models", error.Message);
    }

    [Fact]
    public void SuggestionsIgnoreCaseAndBreakTiesByName()
    {
        Assert.Equal(["abc", "ABD"], NameSuggestions.Nearest("ABC", ["xyz", "ABD", "abc"], 2));
    }
}
