using System.Diagnostics;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// A thread that watches the collective in flight and calls <c>expire</c> with its description once it has waited
/// longer than the timeout. A blocking MPI call cannot be interrupted, so the only way out is ending the job.
/// </summary>
internal sealed class CollectiveWatchdog : IDisposable
{
    private readonly TimeSpan timeout;
    private readonly Action<string> expire;
    private readonly object gate = new();
    private readonly Thread thread;
    private string? operation;
    private long deadline;
    private bool stopped;

    public CollectiveWatchdog(TimeSpan timeout, Action<string> expire)
    {
        (this.timeout, this.expire) = (timeout, expire);
        thread = new Thread(Watch) { IsBackground = true, Name = "collective-watchdog" };
        thread.Start();
    }

    public TimeSpan Timeout => timeout;

    /// <summary>Starts the clock for <paramref name="description"/>; <see cref="End"/> stops it.</summary>
    public void Begin(string description)
    {
        lock (gate)
        {
            operation = description;
            deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            Monitor.Pulse(gate);
        }
    }

    public void End()
    {
        lock (gate) operation = null;
    }

    private void Watch()
    {
        string expired;
        lock (gate)
        {
            while (true)
            {
                if (stopped) return;
                if (operation is null)
                {
                    Monitor.Wait(gate);
                    continue;
                }
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero)
                {
                    expired = operation;
                    break;
                }
                Monitor.Wait(gate, left);
            }
        }
        expire(expired);
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopped = true;
            Monitor.Pulse(gate);
        }
        thread.Join();
    }
}
