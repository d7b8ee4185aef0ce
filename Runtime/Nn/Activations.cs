namespace Dsl.Runtime.Nn;

public sealed class ReLU(bool inPlace = false) : Module<Tensor, Tensor>
{
    public bool InPlace { get; } = inPlace;

    public override Tensor Forward(Tensor input) => InPlace ? input.ReluInPlace() : input.Relu();
}

public sealed class Sigmoid : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

public sealed class Identity : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => input.Alias();
}
