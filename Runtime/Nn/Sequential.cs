using System.Collections;
using System.Globalization;

namespace Dsl.Runtime.Nn;

/// <summary>Runs its children in order; they are named "0", "1", ... as in PyTorch. Typed, so a stage of blocks indexes as blocks.</summary>
public class Sequential<T> : Module<Tensor, Tensor>, IReadOnlyList<T> where T : Module<Tensor, Tensor>
{
    private readonly List<T> layers = [];

    public Sequential(IEnumerable<T> modules)
    {
        foreach (var module in modules) Add(module);
    }

    public int Count => layers.Count;
    public T this[int index] => layers[index];
    public IEnumerator<T> GetEnumerator() => layers.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(T module) => layers.Add(RegisterModule(layers.Count.ToString(CultureInfo.InvariantCulture), module));

    public override Tensor Forward(Tensor input)
    {
        if (layers.Count == 0) return input.Alias();
        using var scope = new TensorScope();
        var x = input;
        foreach (var layer in layers) x = layer.Forward(x);
        return scope.MoveOut(x);
    }
}

/// <summary>A sequence of layers of any kind (a shortcut's pool, convolution and batch norm).</summary>
public sealed class Sequential(params Module<Tensor, Tensor>[] modules) : Sequential<Module<Tensor, Tensor>>(modules);
