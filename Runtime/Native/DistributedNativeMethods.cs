using System.Runtime.InteropServices;

namespace Dsl.Runtime.Native;

// Rendezvous store, process groups and collectives (src/distributed.cpp).
internal static partial class NativeMethods
{
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr dsl_dist_store_create(string host, int port, int worldSize, int isMaster, long timeoutMs);
    [LibraryImport(Library)] internal static partial void dsl_dist_store_free(IntPtr store);
    [LibraryImport(Library)] internal static partial int dsl_dist_nccl_compiled();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr dsl_dist_group_create(IntPtr store, string prefix, string backend, int rank, int worldSize, long timeoutMs);
    [LibraryImport(Library)] internal static partial void dsl_dist_group_free(IntPtr group);
    [LibraryImport(Library)] internal static unsafe partial int dsl_dist_allreduce(IntPtr group, IntPtr* tensors, int count);
    [LibraryImport(Library)] internal static unsafe partial int dsl_dist_broadcast(IntPtr group, IntPtr* tensors, int count, int root);
    [LibraryImport(Library)] internal static partial int dsl_dist_barrier(IntPtr group);
    [LibraryImport(Library)] internal static partial IntPtr dsl_dist_sync_batch_norm(IntPtr group, IntPtr input, IntPtr weight, IntPtr bias,
        IntPtr runningMean, IntPtr runningVar, double momentum, double eps);
}
