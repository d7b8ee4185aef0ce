using System.Reflection;

namespace Dsl.Runtime.Models;

/// <summary>
/// Models looked up by canonical name (case-insensitive). <see cref="Of"/> gathers the generated models of
/// assemblies; <see cref="Combine"/> joins catalogs. A name may appear only once.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelInfo> byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A catalog of these models, kept in the order given.</summary>
    /// <exception cref="ArgumentException">Two models share a name.</exception>
    public ModelCatalog(IEnumerable<ModelInfo> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        All = models.ToList();
        foreach (var model in All)
            if (!byName.TryAdd(model.Name, model))
                throw new ArgumentException($"Two models are named '{model.Name}' (names are compared without case); " +
                                            "a catalog holds each name once.", nameof(models));
    }

    /// <summary>An empty catalog.</summary>
    public static ModelCatalog Empty { get; } = new([]);

    /// <summary>All models: those of each assembly or catalog in the order given, each in natural order of names.</summary>
    public IReadOnlyList<ModelInfo> All { get; }

    /// <summary>The models generated in these assemblies.</summary>
    /// <exception cref="ArgumentException">An assembly has no generated models, or two assemblies share a model name.</exception>
    public static ModelCatalog Of(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        return new ModelCatalog(assemblies.Distinct().SelectMany(ModelsOf));
    }

    /// <summary>These catalogs together.</summary>
    /// <exception cref="ArgumentException">Two catalogs share a model name.</exception>
    public static ModelCatalog Combine(params ModelCatalog[] catalogs)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        return new ModelCatalog(catalogs.Distinct().SelectMany(c => c.All));
    }

    /// <summary>The model with this name, or null.</summary>
    public ModelInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byName.GetValueOrDefault(name);
    }

    /// <summary>The model with this name; throws, naming the closest names, when there is none.</summary>
    /// <exception cref="KeyNotFoundException">No model has this name.</exception>
    public ModelInfo Get(string name)
    {
        if (Find(name) is { } model) return model;
        if (All.Count == 0) throw new KeyNotFoundException($"No model named '{name}': the catalog is empty.");
        var nearest = NameSuggestions.Nearest(name, All.Select(m => m.Name), 3);
        throw new KeyNotFoundException($"No model named '{name}'. Nearest: {string.Join(", ", nearest)}. " +
                                       $"All models: {string.Join(", ", All.Select(m => m.Name))}.");
    }

    private static IReadOnlyList<ModelInfo> ModelsOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var attribute = assembly.GetCustomAttribute<ModelSourceAttribute>()
                        ?? throw new ArgumentException($"Assembly '{assembly.GetName().Name}' has no generated models: it carries no " +
                                                       $"[{nameof(ModelSourceAttribute)}], which the Dsl.Generator package emits into every " +
                                                       "assembly it compiles.", nameof(assembly));
        if (Activator.CreateInstance(attribute.SourceType) is not IModelSource source)
            throw new ArgumentException($"Assembly '{assembly.GetName().Name}': {attribute.SourceType} named by its " +
                                        $"[{nameof(ModelSourceAttribute)}] does not implement {nameof(IModelSource)}.", nameof(assembly));
        return source.Models;
    }
}
