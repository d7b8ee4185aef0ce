namespace Dsl.Runtime.Nn;

/// <summary>y = x Wᵀ + b, with PyTorch's default initialization.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Linear(int inFeatures, int outFeatures, bool bias = true)
    {
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outFeatures])) : null;
        Init.PyTorchDefault(Weight, Bias);
    }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
