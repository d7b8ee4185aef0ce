using System.Globalization;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// This process's part in a training job: a single process, or one rank of a job that <c>mpirun</c> launched
/// (it sets OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE and OMPI_COMM_WORLD_LOCAL_RANK), with its
/// <see cref="Group"/>. Only the master (rank 0) should log and write checkpoints. Disposing it shuts MPI down,
/// which waits for every rank: a rank that fails alone calls <see cref="Abort"/> instead.
/// </summary>
public sealed class DistributedEnvironment : IDisposable
{
    public const string RankVariable = "OMPI_COMM_WORLD_RANK";
    public const string WorldSizeVariable = "OMPI_COMM_WORLD_SIZE";
    public const string LocalRankVariable = "OMPI_COMM_WORLD_LOCAL_RANK";

    /// <summary>All ranks of the job; null for a single process.</summary>
    public ProcessGroup? Group { get; }

    /// <summary>This process's index on its machine, e.g. to pick a GPU.</summary>
    public int LocalRank { get; }

    public int Rank => Group?.Rank ?? 0;
    public int WorldSize => Group?.WorldSize ?? 1;
    public bool IsMaster => Rank == 0;
    public bool IsDistributed => Group is not null;

    private DistributedEnvironment(ProcessGroup? group, int localRank) => (Group, LocalRank) = (group, localRank);

    /// <summary>A process that trains alone.</summary>
    public static DistributedEnvironment Single() => new(null, 0);

    /// <summary>True when <c>mpirun</c> started this process as one rank of a job.</summary>
    public static bool IsLaunched => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WorldSizeVariable));

    /// <summary>
    /// Joins the job <c>mpirun</c> launched, or returns a single process when this process was not launched
    /// by it. Throws <see cref="DistributedException"/> when the launcher's variables are malformed or MPI fails to start.
    /// </summary>
    public static DistributedEnvironment Start()
    {
        if (!IsLaunched) return Single();
        var worldSize = Read(WorldSizeVariable);
        var rank = Read(RankVariable);
        var localRank = Read(LocalRankVariable);
        if (worldSize < 1 || rank < 0 || rank >= worldSize || localRank < 0)
            throw new DistributedException(
                $"the launcher's variables are inconsistent: {RankVariable}={rank}, {WorldSizeVariable}={worldSize}, {LocalRankVariable}={localRank}");
        var group = ProcessGroup.Join();
        if (group.Rank != rank || group.WorldSize != worldSize)
            throw new DistributedException($"MPI reports rank {group.Rank} of {group.WorldSize}, but the launcher set rank {rank} of {worldSize}");
        return new DistributedEnvironment(group, localRank);
    }

    private static int Read(string name)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
            throw new DistributedException($"environment variable {name} is not set; mpirun sets it for every rank");
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DistributedException($"environment variable {name}='{text}' is not an integer");
    }

    /// <summary>Waits for every rank (returns at once alone), e.g. so that others read a checkpoint only after the master wrote it.</summary>
    public void Barrier() => Group?.Barrier();

    /// <summary>
    /// Element-wise sums of <paramref name="values"/> over all ranks (the values themselves alone), e.g. loss sums and
    /// correct counts so that the master reports metrics of the whole data set. Every rank must call it.
    /// </summary>
    public double[] SumAcrossRanks(params double[] values)
    {
        var sums = values.ToArray();
        Group?.AllReduceSum(sums.AsSpan());
        return sums;
    }

    /// <summary>
    /// Ends every rank of the job with <paramref name="exitCode"/> when distributed, so that peers waiting for this
    /// rank in a collective end too (and does not return); does nothing in a single process. Report the error first.
    /// </summary>
    public void Abort(int exitCode) => Group?.Abort(exitCode);

    public void Dispose() => Group?.Dispose();

    public override string ToString() => IsDistributed ? $"rank {Rank} of {WorldSize} (local rank {LocalRank})" : "single process";
}
