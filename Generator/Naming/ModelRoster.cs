using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Description;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;

namespace Dsl.Generator.Naming;

/// <summary>
/// The valid models of one compilation, split into those that are generated and those refused because an
/// earlier spec already took their name. The catalog lists <see cref="Generated"/>; the refused specs get
/// their diagnostic from <see cref="Duplicates"/>. Computed once from the identities, so each spec's model
/// step only looks its own path up.
/// </summary>
public sealed record ModelRoster(EquatableArray<ModelIdentity> Generated, EquatableArray<DiagnosticInfo> Duplicates)
{
    /// <summary>
    /// The one rule for names: a spec is generated when no spec before it (by path, ordinal) has the same model
    /// name or class name. Both compare without case, since hint names do; a refused spec still takes its names,
    /// so the outcome depends only on the order of the paths.
    /// </summary>
    public static ModelRoster Of(IEnumerable<ModelIdentity> identities)
    {
        var generated = new List<ModelIdentity>();
        var duplicates = new List<DiagnosticInfo>();
        var nameOwners = new Dictionary<string, ModelIdentity>(StringComparer.OrdinalIgnoreCase);
        var classOwners = new Dictionary<string, ModelIdentity>(StringComparer.OrdinalIgnoreCase);
        foreach (var identity in identities.OrderBy(i => i.FilePath, StringComparer.Ordinal))
        {
            if (nameOwners.TryGetValue(identity.Name, out var earlier))
                duplicates.Add(Duplicate(identity, "Model name", identity.Name, earlier));
            else if (classOwners.TryGetValue(identity.ClassName, out earlier))
                duplicates.Add(Duplicate(identity, "Class name", identity.ClassName, earlier));
            else
                generated.Add(identity);
            if (!nameOwners.ContainsKey(identity.Name)) nameOwners[identity.Name] = identity;
            if (!classOwners.ContainsKey(identity.ClassName)) classOwners[identity.ClassName] = identity;
        }
        return new ModelRoster(generated.ToEquatableArray(), duplicates.ToEquatableArray());
    }

    /// <summary>Why the spec at <paramref name="filePath"/> is refused, or null when its model is generated.</summary>
    public DiagnosticInfo? DuplicateAt(string filePath) =>
        Duplicates.FirstOrDefault(d => string.Equals(d.FilePath, filePath, StringComparison.Ordinal));

    /// <summary>The class names of the generated models, in natural order of their model names.</summary>
    public EquatableArray<string> CatalogClassNames() =>
        Generated.OrderBy(i => i.Name, NaturalOrder.Instance).Select(i => i.ClassName).ToEquatableArray();

    private static DiagnosticInfo Duplicate(ModelIdentity identity, string what, string value, ModelIdentity earlier) =>
        DiagnosticInfo.Create(DiagnosticCatalog.DuplicateName, identity.FilePath, identity.NameSpan, what, value,
            SpecResolver.FileName(earlier.FilePath));
}
