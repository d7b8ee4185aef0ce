using System.Collections;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A Python dict (or OrderedDict) read from or written to a pickle: insertion-ordered, with Python-like
/// key equality (tuples compare by their items). <see cref="Attributes"/> holds state set by BUILD,
/// such as the <c>_metadata</c> PyTorch attaches to state dicts.
/// </summary>
public sealed class PickleDict : IEnumerable<KeyValuePair<object?, object?>>
{
    private static readonly object NoneKey = new();
    private readonly List<KeyValuePair<object?, object?>> entries = [];
    private readonly Dictionary<object, int> index = new(PickleKeyComparer.Instance);

    public PickleDict(bool ordered = false)
    {
        IsOrdered = ordered;
    }

    /// <summary>True for collections.OrderedDict, false for a plain dict.</summary>
    public bool IsOrdered { get; }

    public object? Attributes { get; set; }

    public int Count => entries.Count;

    public IEnumerable<object?> Keys => entries.Select(e => e.Key);

    public object? this[object? key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no key {PickleFormat.Describe(key)}");
        set
        {
            var boxed = key ?? NoneKey;
            if (index.TryGetValue(boxed, out var position)) entries[position] = new(key, value);
            else
            {
                index[boxed] = entries.Count;
                entries.Add(new(key, value));
            }
        }
    }

    public bool ContainsKey(object? key) => index.ContainsKey(key ?? NoneKey);

    public bool TryGetValue(object? key, out object? value)
    {
        if (index.TryGetValue(key ?? NoneKey, out var position))
        {
            value = entries[position].Value;
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<object?, object?>> GetEnumerator() => entries.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Compares keys as Python would for the types a checkpoint uses: numbers by value, tuples by items.</summary>
    private sealed class PickleKeyComparer : IEqualityComparer<object>
    {
        public static readonly PickleKeyComparer Instance = new();

        public new bool Equals(object? x, object? y)
        {
            if (x is object?[] a && y is object?[] b)
                return a.Length == b.Length && a.Zip(b).All(p => p.First is null ? p.Second is null : p.Second is not null && Equals(p.First, p.Second));
            if (x is long or int or bool && y is long or int or bool) return Convert.ToInt64(x) == Convert.ToInt64(y);
            return object.Equals(x, y);
        }

        public int GetHashCode(object obj) => obj switch
        {
            object?[] items => items.Aggregate(17, (h, item) => h * 31 + (item is null ? 0 : GetHashCode(item))),
            int or bool => Convert.ToInt64(obj).GetHashCode(),
            _ => obj.GetHashCode(),
        };
    }
}
