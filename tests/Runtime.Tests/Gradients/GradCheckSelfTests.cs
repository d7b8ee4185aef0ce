using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Gradients;

public class GradCheckSelfTests
{
    [Fact]
    public void AWrongGradientIsCaught()
    {
        // x * detach(x) has true derivative 2x but autograd only sees x: the check must fail.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            GradCheck.Verify(t => t[0].Mul(t[0].Detach()), GradInput.Random(160, 3)));
    }
}
