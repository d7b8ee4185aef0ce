namespace Dsl.Trainer.Models;

/// <summary>The models compiled into this program.</summary>
public sealed class BuiltInCatalog : IModelCatalog
{
    public static readonly BuiltInCatalog Instance = new();

    public IReadOnlyList<ModelEntry> All { get; } = [];
}
