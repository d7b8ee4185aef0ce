namespace Dsl.Runtime.Data;

/// <summary>
/// The runtime's one shuffle: the order of a data set's samples in an epoch, fixed by (seed, epoch) on every
/// process, rank, platform and .NET version, so shards agree and a resumed run replays its epoch.
/// </summary>
public static class SeededPermutation
{
    // Keeps the order's stream apart from the per-sample augmentation streams, which mix (seed, epoch, index).
    private const ulong OrderStream = 0x5EED;

    /// <summary>A Fisher-Yates permutation of 0..count-1 drawn from SplitMix64 seeded by (seed, epoch).</summary>
    public static int[] ForEpoch(int count, ulong seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new SplitMix64(SplitMix64.Mix(seed, (ulong)epoch, OrderStream)).Permutation(count);
    }
}
