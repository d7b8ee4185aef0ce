using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Gradients;

public class ElementwiseGradientTests
{
    [Fact]
    public void ReluGradient() => GradCheck.Verify(t => t[0].Relu(), GradInput.Random(120, 4, 5));

    [Fact]
    public void SigmoidGradient() => GradCheck.Verify(t => t[0].Sigmoid(), GradInput.Random(121, 4, 5));

    [Fact]
    public void AddBroadcastGradientsSumOverTheBroadcastDimensions() =>
        GradCheck.Verify(t => t[0].Add(t[1]), GradInput.Random(122, 2, 3, 4), GradInput.Random(123, 3, 1));

    [Fact]
    public void SubBroadcastGradients() =>
        GradCheck.Verify(t => t[0].Sub(t[1]), GradInput.Random(124, 2, 1, 4), GradInput.Random(125, 3, 4));

    [Fact]
    public void MulBroadcastGradients() =>
        GradCheck.Verify(t => t[0].Mul(t[1]), GradInput.Random(126, 2, 3, 4), GradInput.Random(127, 4));

    [Fact]
    public void DivBroadcastGradients()
    {
        // Keep the divisor away from zero so the finite differences stay accurate.
        var divisor = new GradInput(TestData.Uniform(128, 3, 0.5, 2), [3, 1]);
        GradCheck.Verify(t => t[0].Div(t[1]), GradInput.Random(129, 2, 3, 4), divisor);
    }

    [Fact]
    public void CatGradientsSplitBackToEachInput() =>
        GradCheck.Verify(t => Tensor.Cat([t[0], t[1].Mul(2), t[0]], 1),
            GradInput.Random(130, 2, 3, 2), GradInput.Random(131, 2, 1, 2));

    [Fact]
    public void PermuteAndReshapeGradients() =>
        GradCheck.Verify(t => t[0].Permute(2, 0, 1).Reshape(4, 6).Mul(t[1]),
            GradInput.Random(132, 2, 3, 4), GradInput.Random(133, 4, 6));
}
