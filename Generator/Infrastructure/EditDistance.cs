using System;

// Compiled into Dsl.Runtime too, where a Dsl.Generator namespace would hide other types named Generator.
#if DSL_RUNTIME
namespace Dsl.Runtime.Models;
#else
namespace Dsl.Generator.Infrastructure;
#endif

/// <summary>Levenshtein distance, for "did you mean" suggestions. One source, compiled into the generator and into Dsl.Runtime.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256) return Math.Max(a.Length, b.Length);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
