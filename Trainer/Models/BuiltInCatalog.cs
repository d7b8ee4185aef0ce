using Dsl.Definitions;
using Dsl.Runtime.Models;

namespace Dsl.Trainer.Models;

/// <summary>The models generated from structures/ (Dsl.Definitions.BuiltInModels).</summary>
public sealed class BuiltInCatalog : IModelCatalog
{
    public static readonly BuiltInCatalog Instance = new();

    public IReadOnlyList<ModelEntry> All { get; } = BuiltInModels.Catalog.All.Select(ToEntry).ToList();

    private static ModelEntry ToEntry(ModelInfo m) => new(m.Name, m.Family, m.Block, m.InputChannels, m.InputHeight, m.InputWidth,
        m.Classes, m.ParameterCount, m.MultiplyAdds,
        m.Layers.Select(l => new LayerRow(l.Name, l.Kind, l.OutputShape, l.Parameters, l.MultiplyAdds)).ToList(), m.Create);
}
