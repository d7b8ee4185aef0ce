using Dsl.Runtime.Distributed;

namespace Dsl.Trainer.Tests.Distributed;

/// <summary>
/// Runs the ranks of a gloo group as threads of the test process, each with its own process group on a
/// shared loopback rendezvous. Waits a bounded time so that a broken collective fails the test instead of hanging it.
/// </summary>
internal static class RankThreads
{
    public static T[] Run<T>(int worldSize, Func<ProcessGroup, T> body, int timeoutSeconds = 60)
    {
        var port = FreePort.Pick();
        var results = new T[worldSize];
        var errors = new Exception?[worldSize];
        var threads = new Thread[worldSize];
        for (var rank = 0; rank < worldSize; rank++)
        {
            var current = rank;
            threads[rank] = new Thread(() =>
            {
                try
                {
                    using var group = ProcessGroup.Create(DistributedBackend.Gloo, current, worldSize, "127.0.0.1", port, TimeSpan.FromSeconds(20));
                    results[current] = body(group);
                }
                catch (Exception e)
                {
                    errors[current] = e;
                }
            }) { IsBackground = true, Name = $"rank {current}" };
            threads[rank].Start();
        }
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        foreach (var thread in threads)
        {
            var left = deadline - DateTime.UtcNow;
            if (left < TimeSpan.Zero || !thread.Join(left))
                throw new TimeoutException($"{thread.Name} did not finish within {timeoutSeconds} s");
        }
        for (var rank = 0; rank < worldSize; rank++)
            if (errors[rank] is { } error) throw new InvalidOperationException($"rank {rank} failed: {error.Message}", error);
        return results;
    }
}
