using TorchSharp.Modules;

namespace Dsl.Runtime.Inference;

/// <summary>
/// Global average pool, flatten and the fully connected layer, in float32 whatever precision the body ran in:
/// the pool and the 1000-way product are cheap, and float32 keeps the logits' ranking from rounding.
/// Keys are those of the model's fc: weight, bias.
/// </summary>
public sealed class ClassifierHead : nn.Module<Tensor, Tensor>
{
    private readonly Tensor weight;
    private readonly Tensor? bias;

    public ClassifierHead(Linear fc) : base(nameof(ClassifierHead))
    {
        using var noGrad = no_grad();
        weight = fc.weight.detach().to(float32).clone();
        bias = fc.bias?.detach().to(float32).clone();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.adaptive_avg_pool2d(input.to(float32), 1).flatten(1);
        return nn.functional.linear(pooled, weight, bias).MoveToOuterDisposeScope();
    }
}
