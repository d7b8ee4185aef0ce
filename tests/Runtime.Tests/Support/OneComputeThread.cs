namespace Dsl.Runtime.Tests.Support;

/// <summary>libtorch on one thread until disposed: bit-for-bit comparisons need one reduction order, and
/// timing on a shared machine is steadier without thread contention.</summary>
internal sealed class OneComputeThread : IDisposable
{
    private readonly int threads = get_num_threads();

    public OneComputeThread() => set_num_threads(1);

    public void Dispose() => set_num_threads(threads);
}
