namespace Dsl.Runtime.Blocks;

/// <summary>
/// A module list whose absent entries keep their index, as ScaleNet's branch lists do: the state-dict keys
/// are <c>conv2.0</c>, <c>conv2.1</c>, <c>conv2.3</c> when branch 2 has no channels.
/// </summary>
public sealed class BranchList<T> : nn.Module where T : nn.Module
{
    private readonly T?[] slots;

    public BranchList(IEnumerable<T?> slots) : base(nameof(BranchList<T>))
    {
        this.slots = slots.ToArray();
        for (var i = 0; i < this.slots.Length; i++)
            if (this.slots[i] is { } module) register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
    }

    /// <summary>The entry at <paramref name="index"/>, or null where that branch is absent.</summary>
    public T? this[int index] => slots[index];
    public int Count => slots.Length;

    /// <summary>Children are registered by index in the constructor.</summary>
    protected override void RegisterComponents() { }
}
