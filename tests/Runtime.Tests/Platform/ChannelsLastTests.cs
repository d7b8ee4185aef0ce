namespace Dsl.Runtime.Tests.Platform;

public sealed class ChannelsLastTests
{
    [Fact]
    public void AnNchwTensorIsCopiedIntoNhwcStridesAndKeepsItsGradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var input = randn(2, 3, 4, 5).requires_grad_(true);
        var laid = input.ToChannelsLast();

        Assert.Equal([60L, 1, 15, 3], laid.stride());
        Assert.True(allclose(laid, input, rtol: 0, atol: 0), "the values changed");
        // The blocks apply ReLU in place right after; its gradient must reach the NCHW input.
        laid.relu_().sum().backward();
        Assert.True(allclose(input.grad!, (input > 0).to(ScalarType.Float32), rtol: 0, atol: 0), "the gradient through the copy is wrong");
    }

    [Fact]
    public void ATensorAlreadyInNhwcStridesIsReturnedAsItIs()
    {
        using var scope = NewDisposeScope();
        var nhwc = randn(2, 3, 4, 5).ToChannelsLast();
        Assert.Same(nhwc, nhwc.ToChannelsLast());
        // One pixel per map: NCHW and NHWC strides differ only where the size is one.
        var onePixel = randn(2, 3, 1, 1);
        Assert.Same(onePixel, onePixel.ToChannelsLast());
    }

    [Fact]
    public void TheCopyIsATensorOfItsOwn()
    {
        using var scope = NewDisposeScope();
        var input = zeros(1, 2, 3, 3);
        var laid = input.ToChannelsLast();
        laid.add_(1);
        Assert.Equal(0f, input.sum().item<float>());
        Assert.Equal(0L, laid.storage_offset());
    }
}
