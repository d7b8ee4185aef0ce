namespace Dsl.Runtime.Distributed;

/// <summary>
/// This process's part in a training job: a single process, or one rank of a launched group with its
/// <see cref="ProcessGroup"/>. Only the master (rank 0) should log and write checkpoints.
/// </summary>
public sealed class DistributedContext : IDisposable
{
    public int Rank { get; }
    public int WorldSize { get; }
    public int LocalRank { get; }

    /// <summary>The group of all ranks; null for a single process.</summary>
    public ProcessGroup? Group { get; }

    public bool IsMaster => Rank == 0;
    public bool IsDistributed => Group is not null;

    private DistributedContext(int rank, int worldSize, int localRank, ProcessGroup? group) =>
        (Rank, WorldSize, LocalRank, Group) = (rank, worldSize, localRank, group);

    /// <summary>A process that trains alone.</summary>
    public static DistributedContext Single() => new(0, 1, 0, null);

    /// <summary>
    /// Joins the group described by torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT),
    /// or returns a single-process context when they are absent or WORLD_SIZE is 1.
    /// </summary>
    public static DistributedContext FromEnvironment(DistributedBackend backend = DistributedBackend.Gloo, TimeSpan? timeout = null)
    {
        var environment = DistributedEnvironment.Read();
        if (environment.WorldSize == 1) return Single();
        var group = ProcessGroup.Create(backend, environment.Rank, environment.WorldSize, environment.MasterAddress,
            environment.MasterPort, timeout, environment.LocalRank);
        return new DistributedContext(environment.Rank, environment.WorldSize, environment.LocalRank, group);
    }

    /// <summary>Wraps a group that was created explicitly.</summary>
    public static DistributedContext FromGroup(ProcessGroup group) => new(group.Rank, group.WorldSize, group.LocalRank, group);

    /// <summary>Waits for every rank (no-op alone), e.g. so that others read a checkpoint only after the master wrote it.</summary>
    public void Barrier() => Group?.Barrier();

    /// <summary>
    /// Element-wise sums of <paramref name="values"/> over all ranks (the values themselves alone), e.g. loss sums and
    /// correct counts so that the master reports metrics of the whole data set. Every rank must call it.
    /// </summary>
    public double[] SumAcrossRanks(params double[] values)
    {
        if (Group is null || values.Length == 0) return [.. values];
        using var scope = new TensorScope();
        var tensor = Tensor.FromArray(values, values.Length);
        Group.AllReduceSum(tensor);
        return tensor.ToArray<double>();
    }

    public void Dispose() => Group?.Dispose();
}
