namespace Dsl.Runtime.Nn;

/// <summary>Runs its children in order; they are named "0", "1", ... as in PyTorch.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> layers = [];

    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        foreach (var module in modules) Add(module);
    }

    public int Count => layers.Count;
    public Module<Tensor, Tensor> this[int index] => layers[index];

    public void Add(Module<Tensor, Tensor> module) =>
        layers.Add(RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));

    public override Tensor Forward(Tensor input)
    {
        if (layers.Count == 0) return input.Alias();
        using var scope = new TensorScope();
        var x = input;
        foreach (var layer in layers) x = layer.Forward(x);
        return scope.MoveOut(x);
    }
}
