using Dsl.Runtime.Models;

namespace Dsl.Runtime.Tests.Models;

public sealed class OneDnnModelCheckTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.01, 0.01, true)]
    [InlineData(0.023, 0.01, true)]
    [InlineData(0.025, 0.01, false)]
    [InlineData(0.004, 0, true)]
    [InlineData(0.3, 0.05, false)]
    [InlineData(double.NaN, 0.05, false)]
    [InlineData(double.PositiveInfinity, 0.05, false)]
    public void ADistanceAgreesUpToTwiceLibTorchsPlusRounding(double oneDnn, double libTorch, bool agrees) =>
        Assert.Equal(agrees, new OneDnnModelCheck.Distance(oneDnn, libTorch).Agrees);

    [Fact]
    public void TheSmallNetworkAgreesInNhwcAndTheCheckLeavesTheProcessAsItWas()
    {
        var info = BuiltInModels.Catalog.Get("bLResNet-Small");
        var oneDnnBefore = OneDnn.Enabled;
        using var rngBefore = get_rng_state();

        var result = OneDnnModelCheck.Measure(info.Create, [4, 1, 28, 28], channelsLast: true);

        output.WriteLine(result.ToString());
        Assert.Equal(oneDnnBefore, OneDnn.Enabled);
        using var rngAfter = get_rng_state();
        Assert.True(rngBefore.equal(rngAfter).all().item<bool>(), "the check moved the global random state");
        Assert.True(result.Agrees, result.ToString());
        // bfloat16 is measurably off float32 through libtorch's kernels: the yardstick is not vacuous.
        Assert.InRange(result.Gradients.LibTorch, 1e-3, 0.5);
        Assert.InRange(result.Logits.LibTorch, 1e-4, 0.1);
        Assert.InRange(result.Inference.LibTorch, 1e-4, 0.1);
    }
}
