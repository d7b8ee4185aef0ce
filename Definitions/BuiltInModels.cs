using Dsl.Runtime.Models;

namespace Dsl.Definitions;

/// <summary>The models generated from the specs in structures/.</summary>
public static class BuiltInModels
{
    /// <summary>Every built-in model, in natural order of names (bLResNet-50 before bLResNet-101).</summary>
    public static ModelCatalog Catalog { get; } = ModelCatalog.Of(typeof(BuiltInModels).Assembly);
}
