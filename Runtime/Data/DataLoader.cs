using System.Runtime.InteropServices;
using Dsl.Runtime.Platform;
using Dsl.Runtime.Training;

namespace Dsl.Runtime.Data;

/// <summary>
/// Batches a data set with worker threads and a bounded number of batches prepared ahead. The order is a
/// permutation fixed by (seed, epoch) and each sample's augmentation by (seed, epoch, index), so an epoch
/// is the same whatever the number of workers and after a resume.
/// </summary>
public sealed class DataLoader
{
    private int skipped;

    public DataLoader(IImageDataset dataset, int batchSize, bool shuffle, ulong seed = 0, int workers = 1,
        int prefetch = 4, bool dropLast = false, CorruptSamplePolicy corrupt = CorruptSamplePolicy.Skip)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be positive");
        if (workers < 0) throw new ArgumentOutOfRangeException(nameof(workers), workers, "the number of workers cannot be negative");
        if (dataset.Count == 0) throw new DataException("the data set is empty");
        TorchRuntime.EnsureLoaded();
        (Dataset, BatchSize, Shuffle, Seed, Workers, Prefetch, DropLast, Corrupt) =
            (dataset, batchSize, shuffle, seed, workers, Math.Max(1, prefetch), dropLast, corrupt);
    }

    public IImageDataset Dataset { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public ulong Seed { get; }
    public int Workers { get; }
    public int Prefetch { get; }
    public bool DropLast { get; }
    public CorruptSamplePolicy Corrupt { get; }

    /// <summary>Samples left out because they could not be decoded, over the loader's lifetime.</summary>
    public int SkippedCount => Volatile.Read(ref skipped);

    /// <summary>Raised (on a worker thread) for every skipped sample.</summary>
    public event Action<CorruptImageException>? SkippedSample;

    /// <summary>Picks each epoch's samples; null means every sample, shuffled by <see cref="Seed"/> when <see cref="Shuffle"/> is set.</summary>
    public IEpochSampler? Sampler { get; private init; }

    public int SamplesPerEpoch => Sampler?.SamplesPerEpoch ?? Dataset.Count;

    public int BatchesPerEpoch => DropLast ? SamplesPerEpoch / BatchSize : (SamplesPerEpoch + BatchSize - 1) / BatchSize;

    /// <summary>The same loader drawing its epochs from <paramref name="sampler"/> (one rank's shard in data-parallel training).</summary>
    public DataLoader WithSampler(IEpochSampler sampler)
    {
        var loader = new DataLoader(Dataset, BatchSize, Shuffle, Seed, Workers, Prefetch, DropLast, Corrupt) { Sampler = sampler };
        // Skips in the derived loader count here too, where callers watch for them.
        loader.SkippedSample += e =>
        {
            Interlocked.Increment(ref skipped);
            SkippedSample?.Invoke(e);
        };
        return loader;
    }

    /// <summary>The sample order of an epoch.</summary>
    public int[] Order(int epoch) =>
        Sampler?.Indices(epoch)
        ?? (Shuffle ? SeededPermutation.ForEpoch(Dataset.Count, Seed, epoch) : Enumerable.Range(0, Dataset.Count).ToArray());

    /// <summary>
    /// The batches of one epoch, in order. Stopping early (disposing the enumerator) stops the workers
    /// and frees the batches they had prepared.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch) => Batches(epoch, keepEmpty: false);

    /// <summary>
    /// Every batch of an epoch, <see cref="BatchesPerEpoch"/> of them, in order: a batch whose every sample was skipped
    /// comes as an empty one. The ranks of a data-parallel job train on these, so that each takes every step (and its collectives).
    /// </summary>
    public IEnumerable<Batch> Steps(int epoch) => Batches(epoch, keepEmpty: true);

    private IEnumerable<Batch> Batches(int epoch, bool keepEmpty)
    {
        var order = Order(epoch);
        var count = BatchesPerEpoch;
        if (Workers == 0)
        {
            for (var b = 0; b < count; b++)
            {
                var batch = Build(order, epoch, b);
                if (Keep(batch, keepEmpty)) yield return batch;
            }
            yield break;
        }

        using var pipeline = new BatchPipeline(b => Build(order, epoch, b), count, Workers, Prefetch, epoch);
        for (var b = 0; b < count; b++)
        {
            var batch = pipeline.Take(b);
            if (Keep(batch, keepEmpty)) yield return batch;
        }
    }

    private static bool Keep(Batch batch, bool keepEmpty)
    {
        if (batch.Count > 0 || keepEmpty) return true;
        batch.Dispose();
        return false;
    }

    // Builds batch b, its samples written straight into the image tensor's memory; empty when every sample was skipped.
    private Batch Build(int[] order, int epoch, int b)
    {
        var start = b * BatchSize;
        var end = Math.Min(start + BatchSize, order.Length);
        var sampleSize = Dataset.Channels * Dataset.Height * Dataset.Width;
        var labels = new long[end - start];
        // Outside any dispose scope (the calling thread's, when there are no workers): the batch's taker owns it.
        var images = torch.empty([labels.Length, Dataset.Channels, Dataset.Height, Dataset.Width], ScalarType.Float32)
            .DetachFromDisposeScope();
        var filled = 0;
        try
        {
            var pixels = MemoryMarshal.Cast<byte, float>(images.bytes);
            for (var i = start; i < end; i++)
            {
                var index = order[i];
                var random = new SplitMix64(SplitMix64.Mix(Seed, (ulong)epoch, (ulong)index));
                // Decoding allocates: a worker must not use up the budget that keeps the step's native calls safe.
                CollectorPause.WaitForRoom();
                try
                {
                    Dataset.Load(index, random, pixels.Slice(filled * sampleSize, sampleSize));
                }
                catch (CorruptImageException e) when (Corrupt == CorruptSamplePolicy.Skip)
                {
                    Interlocked.Increment(ref skipped);
                    SkippedSample?.Invoke(e);
                    continue;
                }
                labels[filled++] = Dataset.LabelOf(index);
            }
        }
        catch
        {
            images.Dispose();
            throw;
        }
        if (filled < labels.Length)
        {
            labels = labels[..filled];
            using var full = images;
            images = full.narrow(0, 0, filled).DetachFromDisposeScope();
        }
        return new Batch(images, torch.tensor(labels, [filled]).DetachFromDisposeScope(), labels, b);
    }
}
