using System.Globalization;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// All ranks of an Open MPI job (MPI_COMM_WORLD). Every collective blocks until all ranks took part; every rank
/// must call the same collectives in the same order. MPI starts when the group is joined and shuts down when it
/// is disposed; a process can join only once. Collectives are serialized, so a rank may call them from any thread.
/// </summary>
/// <remarks>
/// When a rank dies, <c>mpirun</c> ends the others. A rank that fails on its own should call <see cref="Abort"/> so
/// that peers waiting in a collective end too. MPI has no timeouts: a collective that waits longer than
/// <see cref="CollectiveTimeout"/> (a peer hung, or took another number of steps) ends the job, naming this rank and
/// its <see cref="Step"/>.
/// </remarks>
public sealed class ProcessGroup : IDisposable
{
    private static int joined;

    private readonly Lock gate = new();
    private readonly CollectiveWatchdog watchdog;
    private bool finalized;

    public int Rank { get; }
    public int WorldSize { get; }

    /// <summary>Rank 0, the one that logs and writes checkpoints.</summary>
    public bool IsMaster => Rank == 0;

    /// <summary>What this rank is at, e.g. "epoch 2, step 17"; named in the error when a collective times out.</summary>
    public string Step { get; set; } = "start-up";

    /// <summary>How long one collective may wait for the other ranks before the job ends.</summary>
    public TimeSpan Timeout => watchdog.Timeout;

    private ProcessGroup(int rank, int worldSize, TimeSpan timeout)
    {
        (Rank, WorldSize) = (rank, worldSize);
        watchdog = new CollectiveWatchdog(timeout, TimedOut);
    }

    /// <summary>Starts MPI in this process and joins the job that <c>mpirun</c> launched.</summary>
    internal static unsafe ProcessGroup Join()
    {
        if (Interlocked.Exchange(ref joined, 1) == 1)
            throw new DistributedException("this process already joined its MPI job; MPI starts once per process, so share the first group");
        var timeout = CollectiveTimeout.FromEnvironment();
        int provided, rank, size;
        Mpi.Check(Mpi.MPI_Init_thread(null, null, Mpi.ThreadSerialized, &provided), "initialization");
        if (provided < Mpi.ThreadSerialized)
            throw new DistributedException($"this Open MPI offers thread level {provided}; data-parallel training needs MPI_THREAD_SERIALIZED");
        var world = Mpi.CommWorld;
        // Failed collectives return an error code (turned into an exception) instead of aborting the job silently.
        Mpi.Check(Mpi.MPI_Comm_set_errhandler(world, Mpi.ErrorsReturn), "error handler setup");
        Mpi.Check(Mpi.MPI_Comm_rank(world, &rank), "rank query");
        Mpi.Check(Mpi.MPI_Comm_size(world, &size), "size query");
        return new ProcessGroup(rank, size, timeout);
    }

    /// <summary>Sums <paramref name="values"/> element-wise over all ranks, in place.</summary>
    public unsafe void AllReduceSum(Span<float> values)
    {
        fixed (float* pointer = values) AllReduceSum((IntPtr)pointer, values.Length, Mpi.Float);
    }

    /// <summary>Sums <paramref name="values"/> element-wise over all ranks, in place.</summary>
    public unsafe void AllReduceSum(Span<double> values)
    {
        fixed (double* pointer = values) AllReduceSum((IntPtr)pointer, values.Length, Mpi.Double);
    }

    /// <summary>Sums a contiguous CPU tensor (float32, float64 or int64) over all ranks, in place, on its own memory.</summary>
    public unsafe void AllReduceSum(Tensor tensor)
    {
        var datatype = DatatypeOf(tensor);
        fixed (byte* pointer = Memory(tensor)) AllReduceSum((IntPtr)pointer, checked((int)tensor.numel()), datatype);
    }

    /// <summary>Overwrites a contiguous CPU tensor, in place, with its value on rank <paramref name="root"/>.</summary>
    public unsafe void Broadcast(Tensor tensor, int root = 0)
    {
        if (root < 0 || root >= WorldSize) throw new ArgumentOutOfRangeException(nameof(root), $"root {root} is outside 0..{WorldSize - 1}");
        var bytes = Memory(tensor);
        if (bytes.IsEmpty) return;
        fixed (byte* pointer = bytes)
        {
            var (address, length) = ((IntPtr)pointer, bytes.Length);
            Collective($"broadcast from rank {root}", () => Mpi.MPI_Bcast(address, length, Mpi.Byte, root, Communicator));
        }
    }

    /// <summary>Returns once every rank has reached the barrier.</summary>
    public void Barrier()
    {
        Collective("barrier", () => Mpi.MPI_Barrier(Communicator));
    }

    /// <summary>
    /// Ends every rank of the job now with <paramref name="exitCode"/> (MPI_Abort), so that peers blocked in a
    /// collective do not wait for this rank forever. Does not return.
    /// </summary>
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Mpi.MPI_Abort(Mpi.CommWorld, exitCode);
        Environment.Exit(exitCode);
    }

    private void AllReduceSum(IntPtr buffer, int count, IntPtr datatype)
    {
        if (count == 0) return;
        Collective("all-reduce", () => Mpi.MPI_Allreduce(Mpi.InPlace, buffer, count, datatype, Mpi.Sum, Communicator));
    }

    // One collective at a time, watched: it must complete within the timeout.
    private void Collective(string operation, Func<int> call)
    {
        lock (gate)
        {
            watchdog.Begin(operation);
            try
            {
                Mpi.Check(call(), operation + Where);
            }
            finally
            {
                watchdog.End();
            }
        }
    }

    // On the watchdog's thread, while the collective still blocks this rank's training thread.
    private void TimedOut(string operation)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"error: the {operation} at {Step}{Where} did not complete within {Timeout.TotalSeconds:0.###} s: another rank hung or took " +
            $"a different number of steps; ending the job ({CollectiveTimeout.Variable} sets the timeout in seconds)"));
        Abort(1);
    }

    private IntPtr Communicator
    {
        get
        {
            ObjectDisposedException.ThrowIf(finalized, this);
            return Mpi.CommWorld;
        }
    }

    private string Where => $" on rank {Rank} of {WorldSize}";

    // The tensor's own memory: MPI reads and writes it directly, without a copy.
    private static Span<byte> Memory(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU)
            throw new ArgumentException($"MPI collectives take CPU tensors; this one is on {tensor.device}", nameof(tensor));
        if (!tensor.is_contiguous()) throw new ArgumentException("MPI collectives take contiguous tensors", nameof(tensor));
        return tensor.numel() == 0 ? Span<byte>.Empty : tensor.bytes;
    }

    private static IntPtr DatatypeOf(Tensor tensor) => tensor.dtype switch
    {
        ScalarType.Float32 => Mpi.Float,
        ScalarType.Float64 => Mpi.Double,
        ScalarType.Int64 => Mpi.Int64,
        _ => throw new ArgumentException($"all-reduce sums float32, float64 or int64 tensors, not {tensor.dtype}", nameof(tensor)),
    };

    /// <summary>Shuts MPI down; every rank must call it (it waits for the others), after its last collective.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (finalized) return;
            finalized = true;
            watchdog.Dispose();
            Mpi.Check(Mpi.MPI_Finalize(), "shutdown" + Where);
        }
    }

    public override string ToString() => $"ProcessGroup(rank {Rank} of {WorldSize})";
}
