namespace Dsl.Runtime.Checkpoints;

/// <summary>A Python set or frozenset, kept as its items in pickle order.</summary>
public sealed class PickleSet(IEnumerable<object?> items, bool frozen)
{
    internal List<object?> MutableItems { get; } = items.ToList();
    public IReadOnlyList<object?> Items => MutableItems;
    public bool IsFrozen { get; } = frozen;
}
