namespace Dsl.Runtime.Tests.Data;

public sealed class SeededPermutationTests
{
    [Fact]
    public void SplitMix64MatchesTheReferenceSequence()
    {
        // The first outputs of Vigna's splitmix64.c for seed 0.
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void EpochOrdersArePinned()
    {
        // Computed by an independent Python port; a change here reorders every resumed or sharded run.
        Assert.Equal(0xD6B4D8B495E70675UL, SplitMix64.Mix(7, 0, 0x5EED));
        Assert.Equal([0, 4, 8, 9, 1, 6, 3, 7, 2, 5], SeededPermutation.ForEpoch(10, seed: 7, epoch: 0));
        Assert.Equal([6, 8, 0, 3, 4, 2, 1, 7, 5, 9], SeededPermutation.ForEpoch(10, seed: 7, epoch: 1));
        Assert.Equal([2, 12, 13, 18, 5, 11, 17, 3, 1, 14, 9, 16, 8, 4, 6, 15, 7, 10, 19, 0], SeededPermutation.ForEpoch(20, seed: 42, epoch: 3));
        Assert.Empty(SeededPermutation.ForEpoch(0, seed: 1, epoch: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeededPermutation.ForEpoch(-1, seed: 1, epoch: 0));
    }

    [Fact]
    public void TheLoaderShufflesWithTheSeededPermutation()
    {
        var loader = new DataLoader(new SyntheticDataset(20, 2, 1, 2, 2), 4, shuffle: true, seed: 42, workers: 0);
        Assert.Equal(SeededPermutation.ForEpoch(20, 42, 3), loader.Order(3));
        Assert.Equal(Enumerable.Range(0, 20), new DataLoader(loader.Dataset, 4, shuffle: false, seed: 42).Order(3));
    }

    [Fact]
    public void EveryIndexIsDrawnAtEveryPositionOverManySeeds()
    {
        // A biased swap (for example j drawn from 0..i-1) leaves some index never first or never last.
        var seen = new bool[5, 5];
        for (ulong seed = 0; seed < 200; seed++)
        {
            var order = SeededPermutation.ForEpoch(5, seed, 0);
            for (var position = 0; position < 5; position++) seen[position, order[position]] = true;
        }
        Assert.All(Enumerable.Range(0, 25), k => Assert.True(seen[k / 5, k % 5], $"index {k % 5} never at position {k / 5}"));
    }
}
