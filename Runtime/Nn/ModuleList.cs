using System.Collections;
using System.Globalization;

namespace Dsl.Runtime.Nn;

/// <summary>
/// An indexed list of children named "0", "1", ... An entry may be null: its index is kept, as in a
/// PyTorch ModuleList holding None, so later entries keep their state-dict names.
/// </summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T?> where T : Module
{
    private readonly List<T?> items = [];

    public ModuleList(IEnumerable<T?> modules)
    {
        foreach (var module in modules) Add(module);
    }

    public ModuleList() { }

    public void Add(T? module) => items.Add(RegisterModule(items.Count.ToString(CultureInfo.InvariantCulture), module));

    public T? this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<T?> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
