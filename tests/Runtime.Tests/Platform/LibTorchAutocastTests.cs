namespace Dsl.Runtime.Tests.Platform;

public sealed class LibTorchAutocastTests
{
    [Fact]
    public void TorchSharpsLayersComputeInBFloat16InsideAndFloat32Returns()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var conv = nn.Conv2d(3, 4, 3, padding: 1);
        var linear = nn.Linear(4, 2);
        var x = randn(2, 3, 5, 5);
        Tensor logits;
        using (LibTorchAutocast.Enter(ScalarType.BFloat16))
        {
            Assert.True(LibTorchAutocast.Enabled);
            var features = conv.call(x);
            Assert.Equal(ScalarType.BFloat16, features.dtype);
            using (LibTorchAutocast.Enter(ScalarType.BFloat16)) Assert.True(LibTorchAutocast.Enabled);
            Assert.True(LibTorchAutocast.Enabled);
            using (LibTorchAutocast.Suspend())
            {
                Assert.False(LibTorchAutocast.Enabled);
                Assert.Equal(ScalarType.Float32, conv.call(x).dtype);
            }
            logits = linear.call(features.mean([2, 3]));
            Assert.Equal(ScalarType.BFloat16, logits.dtype);
        }
        logits.to(float32).sum().backward();

        Assert.False(LibTorchAutocast.Enabled);
        Assert.Equal(ScalarType.Float32, conv.weight!.grad!.dtype);
        Assert.Equal(ScalarType.Float32, linear.weight!.grad!.dtype);
        Assert.Equal(ScalarType.Float32, conv.call(x).dtype);
    }

    [Fact]
    public void ARegionBelongsToItsThread()
    {
        using (LibTorchAutocast.Enter(ScalarType.BFloat16))
        {
            var elsewhere = true;
            var thread = new Thread(() => elsewhere = LibTorchAutocast.Enabled);
            thread.Start();
            thread.Join();
            Assert.False(elsewhere);
            Assert.True(LibTorchAutocast.Enabled);
        }
    }
}
