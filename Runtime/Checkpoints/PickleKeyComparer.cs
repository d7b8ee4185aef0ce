using System.Runtime.CompilerServices;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Compares dict keys as Python would for the types a checkpoint uses: integers and bools by value, tuples by
/// items. Hashes are the BCL's per-process randomized ones, so a file cannot choose colliding keys; a long
/// string or a tuple is hashed once per object, so a file that sets the same long key again and again
/// (through the memo) costs time in proportion to its own length.
/// </summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public static readonly PickleKeyComparer Instance = new();

    private const int ShortText = 256;
    private static readonly ConditionalWeakTable<object, StrongBox<int>> KnownHashes = new();

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is object?[] a && y is object?[] b)
            return a.Length == b.Length && a.Zip(b).All(p => ScalarEquals(p.First, p.Second));
        return ScalarEquals(x, y);
    }

    public int GetHashCode(object obj) => obj switch
    {
        string { Length: <= ShortText } text => text.GetHashCode(),
        string or object?[] => KnownHashes.GetValue(obj, key => new StrongBox<int>(Hash(key))).Value,
        _ => ScalarHash(obj),
    };

    private static int Hash(object key)
    {
        if (key is not object?[] tuple) return key.GetHashCode();
        var hash = new HashCode();
        foreach (var item in tuple) hash.Add(item is null ? 0 : Instance.GetHashCode(item));
        return hash.ToHashCode();
    }

    private static bool ScalarEquals(object? x, object? y)
    {
        if (x is long or int or bool && y is long or int or bool) return Convert.ToInt64(x) == Convert.ToInt64(y);
        return object.Equals(x, y);
    }

    private static int ScalarHash(object scalar) => scalar switch
    {
        int or bool => Convert.ToInt64(scalar).GetHashCode(),
        _ => scalar.GetHashCode(),
    };
}
