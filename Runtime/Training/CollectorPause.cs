using System.Runtime;

namespace Dsl.Runtime.Training;

/// <summary>
/// Keeps the garbage collector from running while one training or evaluation step makes its native calls.
/// TorchSharp turns a number argument (an <c>alpha</c>, a learning rate) into a finalizable <see cref="Scalar"/>
/// and passes on only its handle, so a collection during the call may free the scalar before libtorch reads it:
/// training runs failed that way ("For integral input tensors, argument alpha must not be a floating point
/// number" from a batch norm's counter, among others). Collections happen between steps instead, when no call of
/// this thread is in flight; the data loader's thread passes no scalars.
/// </summary>
/// <remarks>
/// A step of the small models allocates about 2.5 MB of managed memory (tensor wrappers, batches); should one
/// allocate more than <see cref="Budget"/>, the collector runs within it as it would without the pause.
/// </remarks>
internal readonly struct CollectorPause : IDisposable
{
    public const long Budget = 64L << 20;

    private readonly bool paused;

    private CollectorPause(bool paused) => this.paused = paused;

    /// <summary>Pauses collections until disposed (nothing when a pause is already in force, say another thread's).</summary>
    public static CollectorPause Start()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
        try
        {
            return new(GC.TryStartNoGCRegion(Budget, disallowFullBlockingGC: true));
        }
        catch (InvalidOperationException)
        {
            // Another thread paused first.
            return default;
        }
    }

    public void Dispose()
    {
        if (!paused || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The step outgrew the budget and the collector ran within it: nothing left to end.
        }
    }
}
