using Dsl.Generator;
using Dsl.Runtime.Models;
using Dsl.Trainer.Specs;

namespace Dsl.Trainer.Models;

/// <summary>Finds a model by canonical name in a catalog, or builds it from the path of its spec file.</summary>
public static class ModelResolver
{
    /// <summary>
    /// A path ending in .yaml, .yml or .json is a spec file, compiled in-process (errors throw
    /// <see cref="SpecCompilationException"/>); anything else is a model name looked up in <paramref name="catalog"/>.
    /// </summary>
    public static ModelInfo Resolve(string nameOrPath, IReadOnlyList<ModelInfo> catalog)
    {
        if (Path.GetExtension(nameOrPath).ToLowerInvariant() is ".yaml" or ".yml" or ".json")
        {
            if (!File.Exists(nameOrPath)) throw new UsageException($"spec file '{nameOrPath}' does not exist");
            if (!ModelGenerator.IsSpec(nameOrPath))
                throw new UsageException($"'{nameOrPath}' is not named as a spec: spec files are named *.model.yaml, *.model.yml or *.model.json");
            return SpecCompiler.Compile(nameOrPath);
        }
        var exact = catalog.FirstOrDefault(m => m.Name == nameOrPath)
                    ?? catalog.FirstOrDefault(m => string.Equals(m.Name, nameOrPath, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var nearest = Dsl.Runtime.Models.NameSuggestions.Nearest(nameOrPath, catalog.Select(m => m.Name), 5);
        throw new UsageException(nearest.Count == 0
            ? $"unknown model '{nameOrPath}': no models are available"
            : $"unknown model '{nameOrPath}'. Nearest names: {string.Join(", ", nearest)} (run 'dsl list' for all)");
    }
}
