using System.Diagnostics;
using Dsl.Runtime.Native;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// A group of ranks that exchange tensors through libtorch's c10d (a TCP rendezvous store plus a gloo or
/// NCCL process group). Every collective blocks until all ranks took part, or fails once
/// <see cref="Timeout"/> passed or a peer went away; every rank must call the same collectives in the same order.
/// </summary>
public sealed class ProcessGroup : IDisposable
{
    /// <summary>How long a rendezvous or a collective may wait for the other ranks by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    private IntPtr store;
    private IntPtr group;

    public int Rank { get; }
    public int WorldSize { get; }
    public int LocalRank { get; }
    public DistributedBackend Backend { get; }
    public TimeSpan Timeout { get; }

    /// <summary>Rank 0, the one that logs and writes checkpoints.</summary>
    public bool IsMaster => Rank == 0;

    /// <summary>Total time spent inside all-reduce calls (for measuring communication cost).</summary>
    public TimeSpan AllReduceTime { get; private set; }

    private ProcessGroup(IntPtr store, IntPtr group, int rank, int worldSize, int localRank, DistributedBackend backend, TimeSpan timeout)
    {
        (this.store, this.group) = (store, group);
        (Rank, WorldSize, LocalRank, Backend, Timeout) = (rank, worldSize, localRank, backend, timeout);
    }

    /// <summary>
    /// Joins a group: rank 0 listens on <paramref name="masterPort"/>, the others connect to it. Returns once every
    /// rank has joined; throws when they do not within the timeout.
    /// </summary>
    /// <param name="name">Groups with different names may share one address (each rank still needs its own port owner: rank 0).</param>
    public static ProcessGroup Create(DistributedBackend backend, int rank, int worldSize, string masterAddress, int masterPort,
        TimeSpan? timeout = null, int? localRank = null, string name = "dsl")
    {
        new DistributedEnvironment(rank, worldSize, localRank ?? rank, masterAddress, masterPort).Validate();
        if (worldSize == 1 && masterPort == 0) masterPort = FreePort.Pick();
        var wait = timeout ?? DefaultTimeout;
        if (wait <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "the timeout must be positive");
        var milliseconds = (long)wait.TotalMilliseconds;
        var storeHandle = Check.Handle(NativeMethods.dsl_dist_store_create(masterAddress, masterPort, worldSize, rank == 0 ? 1 : 0, milliseconds));
        var groupHandle = NativeMethods.dsl_dist_group_create(storeHandle, name, backend.Name(), rank, worldSize, milliseconds);
        if (groupHandle == IntPtr.Zero)
        {
            var message = Check.LastError();
            NativeMethods.dsl_dist_store_free(storeHandle);
            throw new TorchException(message);
        }
        return new ProcessGroup(storeHandle, groupHandle, rank, worldSize, localRank ?? rank, backend, wait);
    }

    /// <summary>Joins the group a launcher (torchrun, <see cref="LocalLauncher"/>) described in the environment.</summary>
    public static ProcessGroup FromEnvironment(DistributedBackend backend = DistributedBackend.Gloo, TimeSpan? timeout = null)
    {
        var environment = DistributedEnvironment.Read();
        return Create(backend, environment.Rank, environment.WorldSize, environment.MasterAddress, environment.MasterPort,
            timeout, environment.LocalRank);
    }

    private IntPtr Handle =>
        group != IntPtr.Zero ? group : throw new ObjectDisposedException(nameof(ProcessGroup), "the process group was disposed");

    /// <summary>Sums the tensor over all ranks, in place. The tensor must be contiguous.</summary>
    public void AllReduceSum(Tensor tensor) => AllReduceSum([tensor]);

    /// <summary>Sums each tensor over all ranks, in place (one coalesced collective with gloo).</summary>
    public unsafe void AllReduceSum(IReadOnlyList<Tensor> tensors)
    {
        var handles = HandlesOf(tensors);
        var clock = Stopwatch.StartNew();
        fixed (IntPtr* pointer = handles) Check.Status(NativeMethods.dsl_dist_allreduce(Handle, pointer, handles.Length));
        AllReduceTime += clock.Elapsed;
    }

    /// <summary>Overwrites each tensor, in place, with its value on rank <paramref name="root"/>.</summary>
    public unsafe void Broadcast(IReadOnlyList<Tensor> tensors, int root = 0)
    {
        if (root < 0 || root >= WorldSize) throw new ArgumentOutOfRangeException(nameof(root), $"root {root} is outside 0..{WorldSize - 1}");
        var handles = HandlesOf(tensors);
        fixed (IntPtr* pointer = handles) Check.Status(NativeMethods.dsl_dist_broadcast(Handle, pointer, handles.Length, root));
    }

    /// <summary>Returns once every rank has reached the barrier.</summary>
    public void Barrier() => Check.Status(NativeMethods.dsl_dist_barrier(Handle));

    /// <summary>Training-mode batch norm whose statistics (and input gradients) cover every rank's batch.</summary>
    public Tensor SyncBatchNorm(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar, double momentum, double eps) =>
        new(NativeMethods.dsl_dist_sync_batch_norm(Handle, input.Handle, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero,
            runningMean?.Handle ?? IntPtr.Zero, runningVar?.Handle ?? IntPtr.Zero, momentum, eps));

    private static IntPtr[] HandlesOf(IReadOnlyList<Tensor> tensors)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        return handles;
    }

    public void Dispose()
    {
        if (group != IntPtr.Zero) NativeMethods.dsl_dist_group_free(group);
        if (store != IntPtr.Zero) NativeMethods.dsl_dist_store_free(store);
        group = store = IntPtr.Zero;
    }

    public override string ToString() => $"ProcessGroup({Backend.Name()}, rank {Rank} of {WorldSize})";
}
