using Dsl.Runtime.Distributed;

namespace Dsl.Runtime.Tests.Distributed;

public sealed class DistributedSamplerTests
{
    [Fact]
    public void OneRankSeesTheOrderOfASingleProcessRun()
    {
        Assert.Equal(Dsl.Runtime.Data.SeededPermutation.ForEpoch(50, seed: 9, epoch: 2), new DistributedSampler(50, 0, 1, seed: 9).Indices(epoch: 2));
    }

    [Fact]
    public void ShardsAreDisjointEqualAndPaddedFromTheStart()
    {
        const int size = 10, world = 3;
        var shards = Enumerable.Range(0, world).Select(r => new DistributedSampler(size, r, world, seed: 42).Indices(epoch: 5)).ToArray();
        Assert.All(shards, s => Assert.Equal(4, s.Length));
        var permutation = new DistributedSampler(size, 0, world, seed: 42).Permutation(5);
        // Interleaved, the shards are the permutation followed by its first two entries (the padding).
        var interleaved = Enumerable.Range(0, 4).SelectMany(i => shards.Select(s => s[i])).ToArray();
        Assert.Equal(permutation.Concat(permutation.Take(2)), interleaved);
        Assert.Equal(Enumerable.Range(0, size), interleaved.Take(size).Order());
    }

    [Fact]
    public void EpochsReshuffleAndRanksAgree()
    {
        var a = new DistributedSampler(100, 0, 2, seed: 1);
        var b = new DistributedSampler(100, 1, 2, seed: 1);
        Assert.Equal(a.Permutation(3), b.Permutation(3));
        Assert.NotEqual(a.Permutation(3), a.Permutation(4));
        Assert.NotEqual(a.Permutation(3), new DistributedSampler(100, 0, 2, seed: 2).Permutation(3));
        Assert.Empty(a.Indices(3).Intersect(b.Indices(3)));
        Assert.Equal(Enumerable.Range(0, 100), new DistributedSampler(100, 0, 1, shuffle: false).Indices(9));
    }

    [Fact]
    public void DropLastTrimsTheTailAndBadArgumentsAreRejected()
    {
        Assert.Equal(3, new DistributedSampler(10, 2, 3, dropLast: true).Indices(0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(0, 0, 1));
    }
}
