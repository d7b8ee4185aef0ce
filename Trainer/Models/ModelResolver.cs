using System.Text.RegularExpressions;

namespace Dsl.Trainer.Models;

/// <summary>Finds a model by canonical name or by the path of its spec file.</summary>
public static partial class ModelResolver
{
    public static ModelEntry Resolve(IModelCatalog catalog, string nameOrSpec)
    {
        var name = nameOrSpec;
        if (File.Exists(nameOrSpec) && Path.GetExtension(nameOrSpec).ToLowerInvariant() is ".yaml" or ".yml" or ".json")
            name = SpecName(nameOrSpec);
        var exact = catalog.All.FirstOrDefault(m => m.Name == name)
                    ?? catalog.All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var nearest = Dsl.Runtime.Models.NameSuggestions.Nearest(name, catalog.All.Select(m => m.Name), 5);
        throw new UsageException(nearest.Count == 0
            ? $"unknown model '{name}': no models are available"
            : $"unknown model '{name}'. Nearest names: {string.Join(", ", nearest)} (run 'dsl list' for all)");
    }

    /// <summary>The top-level <c>name</c> of a YAML or JSON spec.</summary>
    public static string SpecName(string path)
    {
        var text = File.ReadAllText(path);
        var match = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? JsonName().Match(text) : YamlName().Match(text);
        if (!match.Success) throw new UsageException($"spec file '{path}' has no top-level 'name:'");
        return match.Groups[1].Value.Trim().Trim('"', '\'');
    }

    [GeneratedRegex(@"^name\s*:\s*(.+?)\s*(#.*)?$", RegexOptions.Multiline)]
    private static partial Regex YamlName();

    [GeneratedRegex("\"name\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex JsonName();
}
