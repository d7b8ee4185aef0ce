using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Memory;

public class DisposalTests
{
    // Four 50 MB tensors: each is above glibc's largest mmap threshold, so freeing returns it to the OS at once.
    private const long Elements = 50 * ResidentMemory.Megabyte / sizeof(float);

    [Fact]
    public void DisposingAScopeReturnsItsNativeMemory()
    {
        var before = ResidentMemory.BytesAfterCollection();
        var tensors = new List<Tensor>();
        using (var scope = new TensorScope())
        {
            for (var i = 0; i < 4; i++) tensors.Add(Tensor.Full([Elements], i + 1));
            var held = ResidentMemory.Bytes() - before;
            Assert.True(held > 180 * ResidentMemory.Megabyte, $"only {held / ResidentMemory.Megabyte} MB resident after filling 200 MB");
        }
        Assert.All(tensors, t => Assert.True(t.IsDisposed));
        var after = ResidentMemory.Bytes();
        Assert.True(after - before < 30 * ResidentMemory.Megabyte, $"{(after - before) / ResidentMemory.Megabyte} MB still resident after the scope closed");
    }

    [Fact]
    public void DisposingATensorReturnsItsNativeMemory()
    {
        var before = ResidentMemory.BytesAfterCollection();
        var big = Tensor.Full([4 * Elements], 1);
        Assert.True(ResidentMemory.Bytes() - before > 180 * ResidentMemory.Megabyte);
        big.Dispose();
        big.Dispose();   // a second dispose is harmless
        Assert.True(big.IsDisposed);
        Assert.True(ResidentMemory.Bytes() - before < 30 * ResidentMemory.Megabyte);
    }

    [Fact]
    public void MoveOutHandsATensorToTheEnclosingScope()
    {
        Tensor kept, dropped;
        using (var outer = new TensorScope())
        {
            using (var inner = new TensorScope())
            {
                kept = inner.MoveOut(Tensor.Ones([3]));
                dropped = Tensor.Ones([3]);
            }
            Assert.True(dropped.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal(new float[] { 1, 1, 1 }, kept.ToArray<float>());
        }
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void MoveOutOfTheOutermostScopeGivesOwnershipToTheCaller()
    {
        Tensor owned;
        using (var scope = new TensorScope()) owned = scope.MoveOut(Tensor.Zeros([2]));
        Assert.False(owned.IsDisposed);
        owned.Dispose();
        Assert.True(owned.IsDisposed);
    }

    [Fact]
    public void ResultsOfOperationsJoinTheInnermostScope()
    {
        using var outer = new TensorScope();
        var a = Tensor.Ones([2]);
        Tensor sum;
        using (new TensorScope()) sum = a.Add(a);
        Assert.True(sum.IsDisposed);
        Assert.False(a.IsDisposed);
        var detached = TensorScope.Detach(a.Mul(3));
        outer.Dispose();
        Assert.True(a.IsDisposed);
        Assert.False(detached.IsDisposed);
        detached.Dispose();
    }
}
