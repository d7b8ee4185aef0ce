using Dsl.Runtime.Models;

namespace Dsl.Definitions;

/// <summary>Every model generated from the specs in structures/, looked up by canonical name.</summary>
public static partial class ModelCatalog
{
    /// <summary>All models, in natural order of their names (bLResNet-50 before bLResNet-101).</summary>
    public static IReadOnlyList<ModelInfo> All { get; } = CreateEntries();

    /// <summary>The model with this canonical name (case-insensitive), or null.</summary>
    public static ModelInfo? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The model with this canonical name (case-insensitive); throws, naming the closest names, when there is none.</summary>
    public static ModelInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Find(name) is { } model) return model;
        var nearest = All.Select(m => m.Name)
            .OrderBy(n => NameDistance.Between(name, n))
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(3);
        throw new KeyNotFoundException($"No model named '{name}'. Nearest: {string.Join(", ", nearest)}. " +
                                       $"All models: {string.Join(", ", All.Select(m => m.Name))}.");
    }
}
