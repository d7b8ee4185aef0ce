using Dsl.Runtime.Data;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// Splits a data set among ranks as torch.utils.data.DistributedSampler does: every rank draws the same
/// seeded permutation for an epoch, pads it by repeating its start to a multiple of the world size (or drops
/// the tail), and takes every world-size-th index from its rank on. Shards are disjoint and of equal length.
/// The permutation is <see cref="SeededPermutation"/>, the one a single process shuffles with, so every process and
/// .NET version agrees on it and one rank sees the order a single-process run would.
/// </summary>
public sealed class DistributedSampler : IEpochSampler
{
    public int DatasetSize { get; }
    public int Rank { get; }
    public int WorldSize { get; }
    public bool Shuffle { get; }
    public ulong Seed { get; }
    public bool DropLast { get; }

    /// <summary>How many indices each rank gets per epoch.</summary>
    public int SamplesPerRank { get; }

    int IEpochSampler.SamplesPerEpoch => SamplesPerRank;

    public DistributedSampler(int datasetSize, int rank, int worldSize, bool shuffle = true, ulong seed = 0, bool dropLast = false)
    {
        if (datasetSize < 1) throw new ArgumentOutOfRangeException(nameof(datasetSize), "the data set is empty");
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), $"world size must be at least 1, got {worldSize}");
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} is outside 0..{worldSize - 1}");
        if (dropLast && datasetSize < worldSize)
            throw new ArgumentException($"dropping the tail of {datasetSize} samples leaves nothing for {worldSize} ranks");
        (DatasetSize, Rank, WorldSize, Shuffle, Seed, DropLast) = (datasetSize, rank, worldSize, shuffle, seed, dropLast);
        SamplesPerRank = dropLast ? datasetSize / worldSize : (datasetSize + worldSize - 1) / worldSize;
    }

    public DistributedSampler(int datasetSize, DistributedEnvironment environment, bool shuffle = true, ulong seed = 0, bool dropLast = false)
        : this(datasetSize, environment.Rank, environment.WorldSize, shuffle, seed, dropLast) { }

    /// <summary>This rank's indices for an epoch.</summary>
    public int[] Indices(int epoch)
    {
        var order = Permutation(epoch);
        var shard = new int[SamplesPerRank];
        for (var i = 0; i < SamplesPerRank; i++)
        {
            var position = Rank + i * WorldSize;
            // Padding repeats the permutation from its start, as many times as needed.
            shard[i] = order[position % DatasetSize];
        }
        return shard;
    }

    /// <summary>The permutation of the whole data set that every rank shares for an epoch (the loader's own shuffle).</summary>
    public int[] Permutation(int epoch) =>
        Shuffle ? SeededPermutation.ForEpoch(DatasetSize, Seed, epoch) : Enumerable.Range(0, DatasetSize).ToArray();
}
