using System.Runtime;

namespace Dsl.Runtime.Training;

/// <summary>
/// Keeps the garbage collector from running while one training or evaluation step makes its native calls.
/// TorchSharp turns a number argument (an <c>alpha</c>, a learning rate) into a finalizable <see cref="Scalar"/>
/// and passes on only its handle, so a collection during the call may free the scalar before libtorch reads it:
/// training runs failed that way ("For integral input tensors, argument alpha must not be a floating point
/// number" from a batch norm's counter, among others). Those scalars are made inside TorchSharp's own modules and
/// operators, out of reach, so the whole step is guarded; collections happen between steps instead.
/// </summary>
/// <remarks>
/// The no-GC region's budget is shared by every thread of the process. A step of the small models allocates about
/// 2.5 MB of managed memory, but the data loader's workers decode images meanwhile; they call <see cref="WaitForRoom"/>
/// before each sample, which holds them once half the budget is used, and the budget doubles (up to
/// <see cref="MaximumBudget"/>) after a step that held them or that a collection interrupted.
/// </remarks>
internal readonly struct CollectorPause : IDisposable
{
    public const long Budget = 64L << 20;

    /// <summary>The largest budget a pause grows to (the no-GC region commits it up front).</summary>
    public const long MaximumBudget = 512L << 20;

    private static readonly object Gate = new();
    private static long budget = Budget;
    private static int owner;
    private static long allocatedAtStart, collectionsAtStart;
    private static bool heldWorkers;
    private static int interrupted;

    private readonly bool paused;

    private CollectorPause(bool paused) => this.paused = paused;

    /// <summary>Pauses that a collection ran within, over the process's lifetime: each is a step the pause failed to guard.</summary>
    public static int Interrupted => Volatile.Read(ref interrupted);

    /// <summary>The budget the next pause asks for.</summary>
    public static long CurrentBudget
    {
        get { lock (Gate) return budget; }
    }

    /// <summary>Pauses collections until disposed (nothing when a pause is already in force, say another thread's).</summary>
    public static CollectorPause Start()
    {
        lock (Gate)
        {
            if (owner != 0 || GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
            try
            {
                if (!GC.TryStartNoGCRegion(budget, disallowFullBlockingGC: true)) return default;
            }
            catch (ArgumentOutOfRangeException)
            {
                // More than this runtime's region can hold: stay at the size that worked.
                budget = Math.Max(Budget, budget / 2);
                return default;
            }
            catch (InvalidOperationException)
            {
                // Another thread paused first.
                return default;
            }
            owner = Environment.CurrentManagedThreadId;
            allocatedAtStart = GC.GetTotalAllocatedBytes();
            collectionsAtStart = GC.CollectionCount(0);
            heldWorkers = false;
            return new(true);
        }
    }

    /// <summary>
    /// Called by a thread about to allocate on its own (a data-loader worker before a sample): returns at once unless
    /// another thread's pause has used half its budget, and then once that pause ends.
    /// </summary>
    public static void WaitForRoom()
    {
        lock (Gate)
        {
            while (owner != 0 && owner != Environment.CurrentManagedThreadId && GC.GetTotalAllocatedBytes() - allocatedAtStart > budget / 2)
            {
                heldWorkers = true;
                Monitor.Wait(Gate);
            }
        }
    }

    public void Dispose()
    {
        if (!paused) return;
        lock (Gate)
        {
            var collected = GC.CollectionCount(0) != collectionsAtStart;
            if (collected) Interlocked.Increment(ref interrupted);
            if (collected || heldWorkers) budget = Math.Min(MaximumBudget, budget * 2);
            owner = 0;
            Monitor.PulseAll(Gate);
            if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
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
}
