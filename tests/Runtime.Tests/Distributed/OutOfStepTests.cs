using System.Globalization;
using Dsl.Runtime.Distributed;

namespace Dsl.Runtime.Tests.Distributed;

/// <summary>Ranks that could go out of step: one whose whole batch was skipped as corrupt, and one that never joins a collective.</summary>
[Trait(MultiProcessTrait.Name, MultiProcessTrait.Value)]
public sealed class OutOfStepTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    // Rank 1 of 2 draws samples 1, 3, 5 and 7 first: its whole first batch of 4 is corrupt; rank 0 loses sample 10 of its second.
    private const string Corrupt = "1,3,5,7,10";
    private readonly TempFolder folder = new();
    private readonly List<IDisposable> disposables = [];

    [Fact]
    public void ARankWhoseWholeBatchIsCorruptStaysInStepAndAveragesOverRealSamples()
    {
        var (alone, ranks) = TrainAloneAndInTwoRanks("--norm", "none");
        // Metrics count real samples only, the same with two ranks as with one process.
        Assert.Equal(["samples 27", "samples 27"], SampleCounts(alone));
        Assert.Equal(SampleCounts(alone), SampleCounts(ranks, rank: 0));
        Assert.Equal(Losses(alone), Losses(ranks, rank: 0), (a, b) => Math.Abs(a - b) < 1e-5);
        var difference = LargestDifference();
        Assert.True(difference < 1e-5, $"two ranks differ from one process with their batches together by {difference}");
    }

    [Fact]
    public void SynchronizedBatchNormWithAnEmptyRankMatchesOneProcess()
    {
        TrainAloneAndInTwoRanks("--norm", "batch", "--sync-bn");
        var difference = LargestDifference();
        Assert.True(difference < 1e-5, $"two ranks with synchronized batch norm differ from one process by {difference}");
    }

    [Fact]
    public void ACollectiveAPeerNeverJoinsEndsTheJobNamingTheRankAndStep()
    {
        const int Seconds = 3;
        var environment = new Dictionary<string, string> { [CollectiveTimeout.Variable] = $"{Seconds}" };
        using var job = WorkerProcess.Ranks(2, environment, "train", "--steps", "10", "--global-batch", "4", "--stall-rank", "1", "--stall-step", "3");
        Assert.True(job.WaitForLine("rank 1 stalls at step 3", Timeout), "rank 1 did not reach step 3:\n" + job.Output);
        // Without the timeout the job would wait the ten minutes of rank 1's sleep: WaitForExit throws first.
        var code = job.WaitForExit(TimeSpan.FromSeconds(Seconds + 60));
        Assert.NotEqual(0, code);
        Assert.Contains(job.Lines, line => line.Contains($"all-reduce at step 3 on rank 0 of 2 did not complete within {Seconds} s", StringComparison.Ordinal));
    }

    private (WorkerProcess Alone, WorkerProcess Ranks) TrainAloneAndInTwoRanks(params string[] options)
    {
        string[] loop = ["loop", "--epochs", "2", "--corrupt", Corrupt, .. options];
        var single = WorkerProcess.Alone([.. loop, "--batch", "8", "--state", folder.Combine("alone.bin")]);
        Assert.True(single.WaitForExit(Timeout) == 0, single.Output);
        var job = WorkerProcess.Ranks(2, [.. loop, "--batch", "4", "--state", folder.Combine("ranks.bin")]);
        Assert.True(job.WaitForExit(Timeout) == 0, job.Output);
        var states = job.Lines.Where(line => line.Contains(" final state ", StringComparison.Ordinal)).Select(line => line.Split(' ')[^1]).ToList();
        Assert.True(states.Count == 2 && states[0] == states[1], "the ranks' final states differ:\n" + job.Output);
        disposables.Add(single);
        disposables.Add(job);
        return (single, job);
    }

    private static List<string> SampleCounts(WorkerProcess process, int rank = 0) =>
        [.. EpochLines(process, rank).Select(words => $"samples {words[^3]}")];

    private static List<double> Losses(WorkerProcess process, int rank = 0) =>
        [.. EpochLines(process, rank).Select(words => double.Parse(words[^1], CultureInfo.InvariantCulture))];

    // "rank R epoch E samples N loss L", after mpirun's tag.
    private static IEnumerable<string[]> EpochLines(WorkerProcess process, int rank) =>
        process.Lines.Where(line => line.Contains($"rank {rank} epoch ", StringComparison.Ordinal)).Select(line => line.Split(' '));

    private double LargestDifference() => TinyCheckpoint.LargestDifference(folder.Combine("alone.bin"), folder.Combine("ranks.bin"));

    public void Dispose()
    {
        foreach (var disposable in disposables) disposable.Dispose();
        folder.Dispose();
    }
}
