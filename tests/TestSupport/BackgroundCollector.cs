namespace Dsl.TestSupport;

/// <summary>
/// Runs full garbage collections and finalizers on another thread until disposed, so that a native handle the
/// code under test fails to keep alive is freed while it is still in use.
/// </summary>
public sealed class BackgroundCollector : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;

    public BackgroundCollector()
    {
        thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true, Name = "background-collector" };
        thread.Start();
    }

    public void Dispose()
    {
        stop.Cancel();
        thread.Join();
        stop.Dispose();
    }
}
