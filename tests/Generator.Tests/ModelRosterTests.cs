using Dsl.Generator.Diagnostics;
using Dsl.Generator.Naming;

namespace Dsl.Generator.Tests;

/// <summary>The one rule deciding which spec of a shared name is generated, used by the catalog and the duplicate diagnostic alike.</summary>
public sealed class ModelRosterTests
{
    private static ModelIdentity Identity(string file, string name, string className) =>
        new(name, className, "/specs/" + file, new SourceSpan(6, 6 + name.Length, 0, 6, 0, 6 + name.Length));

    [Fact]
    public void TheFirstSpecByPathWinsAndARefusedSpecStillTakesItsNames()
    {
        // b repeats a's class name; c repeats only b's model name, which b keeps although b is not generated.
        var roster = ModelRoster.Of([
            Identity("c.model.yaml", "Net-Y", "NetQ"),
            Identity("b.model.yaml", "net-y", "NetP"),
            Identity("a.model.yaml", "Net-X", "NetP"),
            Identity("d.model.yaml", "Net-2", "Net2"),
        ]);

        Assert.Equal(["Net2", "NetP"], roster.CatalogClassNames());
        Assert.Null(roster.DuplicateAt("/specs/a.model.yaml"));
        Assert.Equal(["Class name", "NetP", "a.model.yaml"], roster.DuplicateAt("/specs/b.model.yaml")!.Arguments);
        Assert.Equal(["Model name", "Net-Y", "b.model.yaml"], roster.DuplicateAt("/specs/c.model.yaml")!.Arguments);
        Assert.Equal(new SourceSpan(6, 11, 0, 6, 0, 11), roster.DuplicateAt("/specs/c.model.yaml")!.Span);
        Assert.Equal(2, roster.Duplicates.Count);
    }

    [Fact]
    public void TheCatalogListsNamesInNaturalOrder()
    {
        var roster = ModelRoster.Of([
            Identity("1.model.yaml", "Net-101", "Net101"),
            Identity("2.model.yaml", "net-50", "Net50"),
            Identity("3.model.yaml", "Net-152", "Net152"),
        ]);
        Assert.Equal(["Net50", "Net101", "Net152"], roster.CatalogClassNames());
        Assert.Empty(roster.Duplicates);
    }
}
