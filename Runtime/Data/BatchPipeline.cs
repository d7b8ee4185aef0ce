namespace Dsl.Runtime.Data;

/// <summary>
/// Worker threads building the batches of one epoch, at most <c>prefetch</c> ahead of the consumer, which takes
/// them in order. Disposing stops the workers and frees every batch built but not taken.
/// </summary>
internal sealed class BatchPipeline : IDisposable
{
    private readonly Func<int, Batch> build;
    private readonly int count, prefetch, epoch;
    private readonly Batch?[] ready;
    private readonly bool[] done;
    private readonly Exception?[] errors;
    private readonly Thread[] threads;
    private readonly object gate = new();
    private int next, consumed;
    private bool stopping, failed;

    public BatchPipeline(Func<int, Batch> build, int count, int workers, int prefetch, int epoch)
    {
        (this.build, this.count, this.prefetch, this.epoch) = (build, count, prefetch, epoch);
        ready = new Batch?[count];
        done = new bool[count];
        errors = new Exception?[count];
        threads = new Thread[Math.Min(workers, Math.Max(1, count))];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(Work) { IsBackground = true, Name = $"data-loader-{i}" };
            threads[i].Start();
        }
    }

    /// <summary>
    /// Batch <paramref name="b"/>, waiting for it (empty when every sample in it was skipped). A batch that failed
    /// throws when its turn comes, so the batches before it are delivered whatever the threads' timing.
    /// </summary>
    public Batch Take(int b)
    {
        lock (gate)
        {
            while (!done[b]) Monitor.Wait(gate);
            if (errors[b] is { } error)
                throw new DataException($"loading batch {b} of epoch {epoch} failed: {error.Message}", error);
            var batch = ready[b]!;
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

    private void Work()
    {
        while (true)
        {
            int b;
            lock (gate)
            {
                while (!stopping && !failed && next < count && next - consumed >= prefetch) Monitor.Wait(gate);
                // After a failure the epoch ends there: nothing later is built.
                if (stopping || failed || next >= count) return;
                b = next++;
            }
            Batch? batch = null;
            Exception? error = null;
            try { batch = build(b); }
            catch (Exception e) { error = e; }
            lock (gate)
            {
                if (stopping) { batch?.Dispose(); return; }
                ready[b] = batch;
                errors[b] = error;
                done[b] = true;
                failed |= error is not null;
                Monitor.PulseAll(gate);
            }
        }
    }
}
