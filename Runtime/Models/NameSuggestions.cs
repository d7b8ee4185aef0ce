namespace Dsl.Runtime.Models;

/// <summary>Names closest to a mistyped one (edit distance, ignoring case), for "did you mean" messages.</summary>
public static class NameSuggestions
{
    public static IReadOnlyList<string> Nearest(string name, IEnumerable<string> candidates, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lower = name.ToLowerInvariant();
        return candidates
            .OrderBy(c => EditDistance.Between(lower, c.ToLowerInvariant()))
            .ThenBy(c => c, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
