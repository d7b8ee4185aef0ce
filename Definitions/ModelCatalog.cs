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
            .OrderBy(n => Distance(name.ToLowerInvariant(), n.ToLowerInvariant()))
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(3);
        throw new KeyNotFoundException($"No model named '{name}'. Nearest: {string.Join(", ", nearest)}. " +
                                       $"All models: {string.Join(", ", All.Select(m => m.Name))}.");
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
