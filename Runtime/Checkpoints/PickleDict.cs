using System.Collections;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A Python dict (or OrderedDict) read from or written to a pickle: insertion-ordered, with Python-like
/// key equality (tuples compare by their items). Keys are None, bools, numbers, strings or flat tuples of
/// those (see <see cref="IsKey"/>), so comparing them never recurses. <see cref="Attributes"/> holds state
/// set by BUILD, such as the <c>_metadata</c> PyTorch attaches to state dicts.
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

    /// <summary>Whether a value can be a key: None, a bool, a number, a string, or a tuple of those.</summary>
    public static bool IsKey(object? key) => key is object?[] tuple ? tuple.All(IsScalarKey) : IsScalarKey(key);

    private static bool IsScalarKey(object? key) => key is null or bool or int or long or ulong or double or string;

    public object? this[object? key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no key {PickleFormat.Describe(key)}");
        set
        {
            if (!IsKey(key)) throw new ArgumentException($"{PickleFormat.Describe(key)} cannot be a dict key: keys are None, bools, numbers, strings or flat tuples of them", nameof(key));
            var boxed = key ?? NoneKey;
            if (index.TryGetValue(boxed, out var position)) entries[position] = new(key, value);
            else
            {
                index[boxed] = entries.Count;
                entries.Add(new(key, value));
            }
        }
    }

    public bool ContainsKey(object? key) => IsKey(key) && index.ContainsKey(key ?? NoneKey);

    public bool TryGetValue(object? key, out object? value)
    {
        if (IsKey(key) && index.TryGetValue(key ?? NoneKey, out var position))
        {
            value = entries[position].Value;
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<object?, object?>> GetEnumerator() => entries.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
