namespace Dsl.Runtime.Tests.Ops;

public class GradModeTests
{
    [Fact]
    public void NoGradScopeStopsRecordingAndRestoresTheMode()
    {
        using var scope = new TensorScope();
        var leaf = Tensor.Ones([3]);
        leaf.RequiresGrad = true;
        Assert.True(Torch.GradEnabled);
        using (new NoGradScope())
        {
            Assert.False(Torch.GradEnabled);
            using (new NoGradScope()) Assert.False(Torch.GradEnabled);
            Assert.False(Torch.GradEnabled);
            Assert.False(leaf.Mul(2).RequiresGrad);
        }
        Assert.True(Torch.GradEnabled);
        Assert.True(leaf.Mul(2).RequiresGrad);
    }

    [Fact]
    public void InferenceModeDisablesGradients()
    {
        using var scope = new TensorScope();
        var leaf = Tensor.Ones([3]);
        leaf.RequiresGrad = true;
        using (new InferenceModeScope())
        {
            Assert.False(Torch.GradEnabled);
            var y = leaf.Mul(2);
            Assert.False(y.RequiresGrad);
            Assert.Equal(new float[] { 2, 2, 2 }, y.ToArray<float>());
        }
        Assert.True(Torch.GradEnabled);
        Assert.True(leaf.Mul(2).RequiresGrad);
    }

    [Fact]
    public void BackwardAccumulatesUntilCleared()
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, 3);
        x.RequiresGrad = true;
        Assert.Null(x.Grad);
        x.Mul(x).Sum().Backward();
        Assert.Equal(new double[] { 2, 4, 6 }, x.Grad!.ToArray<double>());
        x.Mul(3).Sum().Backward();
        Assert.Equal(new double[] { 5, 7, 9 }, x.Grad!.ToArray<double>());
        x.ClearGrad();
        Assert.Null(x.Grad);
        var detached = x.Detach();
        Assert.False(detached.RequiresGrad);
    }
}
