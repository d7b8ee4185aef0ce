namespace Dsl.Runtime.Data;

/// <summary>What the loader does with a sample that cannot be decoded.</summary>
public enum CorruptSamplePolicy
{
    /// <summary>Leave it out of its batch, count it and report it through <see cref="DataLoader.SkippedSample"/>.</summary>
    Skip,
    /// <summary>Stop with the error.</summary>
    Throw,
}

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
        ?? (Shuffle ? new SplitMix64(SplitMix64.Mix(Seed, (ulong)epoch, 0x5EED)).Permutation(Dataset.Count)
                    : Enumerable.Range(0, Dataset.Count).ToArray());

    /// <summary>
    /// The batches of one epoch, in order. Stopping early (disposing the enumerator) stops the workers
    /// and frees the batches they had prepared.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var order = Order(epoch);
        var count = BatchesPerEpoch;
        if (Workers == 0)
        {
            for (var b = 0; b < count; b++)
            {
                var batch = Build(order, epoch, b);
                if (batch is not null) yield return batch;
            }
            yield break;
        }

        using var pipeline = new Pipeline(this, order, epoch, count);
        for (var b = 0; b < count; b++)
        {
            var batch = pipeline.Take(b);
            if (batch is not null) yield return batch;
        }
    }

    // Builds batch b; null when every sample in it was skipped.
    private Batch? Build(int[] order, int epoch, int b)
    {
        var start = b * BatchSize;
        var end = Math.Min(start + BatchSize, order.Length);
        var sampleSize = Dataset.Channels * Dataset.Height * Dataset.Width;
        var pixels = new float[(end - start) * sampleSize];
        var labels = new long[end - start];
        var filled = 0;
        for (var i = start; i < end; i++)
        {
            var index = order[i];
            var random = new SplitMix64(SplitMix64.Mix(Seed, (ulong)epoch, (ulong)index));
            try
            {
                Dataset.Load(index, random, pixels.AsSpan(filled * sampleSize, sampleSize));
            }
            catch (CorruptImageException e) when (Corrupt == CorruptSamplePolicy.Skip)
            {
                Interlocked.Increment(ref skipped);
                SkippedSample?.Invoke(e);
                continue;
            }
            labels[filled++] = Dataset.LabelOf(index);
        }
        if (filled == 0) return null;
        if (filled < labels.Length) labels = labels[..filled];
        // Made outside any TensorScope (workers have none), so the consumer owns them.
        var images = Tensor.FromArray<float>(pixels.AsSpan(0, filled * sampleSize), [filled, Dataset.Channels, Dataset.Height, Dataset.Width]);
        var labelTensor = Tensor.FromArray<long>(labels, [filled]);
        return new Batch(TensorScope.Detach(images), TensorScope.Detach(labelTensor), labels, b);
    }

    /// <summary>Worker threads filling a window of at most Prefetch batches ahead of the consumer.</summary>
    private sealed class Pipeline : IDisposable
    {
        private readonly DataLoader loader;
        private readonly int[] order;
        private readonly int epoch, count;
        private readonly Batch?[] ready;
        private readonly bool[] done;
        private readonly Thread[] threads;
        private readonly object gate = new();
        private int next, consumed;
        private bool stopping;
        private Exception? failure;

        public Pipeline(DataLoader loader, int[] order, int epoch, int count)
        {
            (this.loader, this.order, this.epoch, this.count) = (loader, order, epoch, count);
            ready = new Batch?[count];
            done = new bool[count];
            threads = new Thread[Math.Min(loader.Workers, Math.Max(1, count))];
            for (var i = 0; i < threads.Length; i++)
            {
                threads[i] = new Thread(Work) { IsBackground = true, Name = $"data-loader-{i}" };
                threads[i].Start();
            }
        }

        private void Work()
        {
            while (true)
            {
                int b;
                lock (gate)
                {
                    while (!stopping && next < count && next - consumed >= loader.Prefetch) Monitor.Wait(gate);
                    if (stopping || next >= count) return;
                    b = next++;
                }
                Batch? batch = null;
                Exception? error = null;
                try { batch = loader.Build(order, epoch, b); }
                catch (Exception e) { error = e; }
                lock (gate)
                {
                    if (stopping) { batch?.Dispose(); return; }
                    ready[b] = batch;
                    done[b] = true;
                    failure ??= error;
                    Monitor.PulseAll(gate);
                }
            }
        }

        public Batch? Take(int b)
        {
            lock (gate)
            {
                while (!done[b] && failure is null) Monitor.Wait(gate);
                if (failure is not null)
                    throw new DataException($"loading batch {b} of epoch {epoch} failed: {failure.Message}", failure);
                var batch = ready[b];
                ready[b] = null;
                consumed = b + 1;
                Monitor.PulseAll(gate);
                return batch;
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                stopping = true;
                Monitor.PulseAll(gate);
            }
            foreach (var thread in threads) thread.Join();
            foreach (var batch in ready) batch?.Dispose();
        }
    }
}
