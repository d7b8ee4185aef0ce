using Dsl.Runtime;
using Dsl.Runtime.Blocks;

namespace Dsl.Runtime.Tests.Blocks;

public sealed class DenseGradientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AConcatenatedTensorGetsItsGradientDenseInItsOwnLayout(bool channelsLast)
    {
        using var leaf = randn(2, 3, 4, 5).requires_grad_();
        using var other = randn(2, 6, 4, 5);
        using var direction = randn(2, 9, 4, 5);

        var (plain, plainValue) = GradientReaching(leaf, other, direction, channelsLast, dense: false);
        var (dense, denseValue) = GradientReaching(leaf, other, direction, channelsLast, dense: true);

        // Without it, the concatenation's backward hands on a channel slice of its gradient.
        Assert.False(IsDense(plain, channelsLast));
        Assert.True(IsDense(dense, channelsLast), $"strides {string.Join(",", dense.stride())}");
        Assert.True(dense.allclose(plain, rtol: 0, atol: 0));
        Assert.True(denseValue.allclose(plainValue, rtol: 0, atol: 0));
        Assert.True(dense.allclose(direction.narrow(1, 0, 3), rtol: 0, atol: 0));
    }

    private static bool IsDense(Tensor t, bool channelsLast) => channelsLast ? t.permute(0, 2, 3, 1).is_contiguous() : t.is_contiguous();

    /// <summary>The gradient that arrives just before <see cref="DenseGradient"/> (or where it would be), and the forward value.</summary>
    private static (Tensor Gradient, Tensor Value) GradientReaching(Tensor leaf, Tensor other, Tensor direction, bool channelsLast, bool dense)
    {
        using var scope = NewDisposeScope();
        var input = channelsLast ? (leaf * 1).ToChannelsLast() : leaf * 1;
        var recorded = GradientRecorder.apply(input);
        var branch = dense ? DenseGradient.Of(recorded) : recorded;
        var merged = cat([branch, channelsLast ? other.ToChannelsLast() : other], 1);
        (merged * direction).sum().backward();
        return (GradientRecorder.Last!.MoveToOuterDisposeScope(), merged.detach().clone().MoveToOuterDisposeScope());
    }

    /// <summary>The identity, keeping the gradient its backward was handed, strides and all.</summary>
    private sealed class GradientRecorder : autograd.SingleTensorFunction<GradientRecorder>
    {
        [ThreadStatic] public static Tensor? Last;

        public override string Name => nameof(GradientRecorder);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).alias();

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            Last = grad_output.alias().DetachFromDisposeScope();
            return [grad_output];
        }
    }
}
