using System.Globalization;

namespace Dsl.Runtime.Tests.Distributed;

/// <summary>Ranks of the worker under mpirun against each other and against one process with the whole batch.</summary>
[Trait(MultiProcessTrait.Name, MultiProcessTrait.Value)]
public sealed class DataParallelTrainingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempFolder folder = new();

    [Fact]
    public void CollectivesSumAndBroadcastOnEveryRank()
    {
        using var job = WorkerProcess.Ranks(2, "collectives");
        Assert.True(job.WaitForExit(Timeout) == 0, job.Output);
        Assert.Contains(job.Lines, line => line.EndsWith("rank 0 of 2 collectives ok", StringComparison.Ordinal));
        Assert.Contains(job.Lines, line => line.EndsWith("rank 1 of 2 collectives ok", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryRankHoldsBitIdenticalStateAfterEveryStep()
    {
        const int Steps = 4;
        using var job = WorkerProcess.Ranks(2, "train", "--steps", $"{Steps}", "--global-batch", "8");
        Assert.True(job.WaitForExit(Timeout) == 0, job.Output);
        var states = Hashes(job, "state");
        AssertRanksAgree(job, states, "state", 0, Steps);
        Assert.NotEqual(states[0].First(), states[Steps].First());
    }

    [Fact]
    public void EveryRanksAverageOfTheWeightsIsBitIdenticalAfterEveryStep()
    {
        // Batch norm's running statistics differ per rank until the step broadcasts rank 0's: the averages must still agree.
        const int Steps = 4;
        using var job = WorkerProcess.Ranks(2, "train", "--steps", $"{Steps}", "--global-batch", "8", "--norm", "batch", "--ema", "0.9");
        Assert.True(job.WaitForExit(Timeout) == 0, job.Output);
        var averages = Hashes(job, "ema");
        AssertRanksAgree(job, averages, "ema", 1, Steps);
        Assert.NotEqual(averages[1].First(), averages[Steps].First());
        // The average is not the weights, so agreeing above is not the state's agreement over again.
        Assert.NotEqual(Hashes(job, "state")[Steps].First(), averages[Steps].First());
    }

    // Each rank's "rank R step S WHAT HASH" lines by step.
    private static ILookup<int, string> Hashes(WorkerProcess job, string what) =>
        job.Lines.Select(line => line.Split(' ')).Where(words => words.Length >= 6 && words[^2] == what)
            .ToLookup(words => int.Parse(words[^3], CultureInfo.InvariantCulture), words => words[^1]);

    private static void AssertRanksAgree(WorkerProcess job, ILookup<int, string> hashes, string what, int first, int last)
    {
        for (var step = first; step <= last; step++)
        {
            var both = hashes[step].ToList();
            Assert.True(both.Count == 2, $"expected both ranks' {what} after step {step}:\n{job.Output}");
            Assert.True(both[0] == both[1], $"ranks' {what} differ after step {step}");
        }
    }

    [Fact]
    public void TwoRanksWithBatchBMatchOneProcessWithBatch2B()
    {
        var difference = DifferenceFromOneProcess("--norm", "none");
        Assert.True(difference < 1e-5, $"largest difference from one process with batch 2B: {difference}");
    }

    [Fact]
    public void SynchronizedBatchNormMatchesOneProcessWithTheWholeBatch()
    {
        // Weights (through batch norm's backward) and running statistics after several steps.
        var synchronized = DifferenceFromOneProcess("--norm", "batch", "--sync-bn");
        Assert.True(synchronized < 1e-5, $"synchronized batch norm differs from one batch of 2B by {synchronized}");
        // Per-rank statistics are a different computation, so the comparison above can fail.
        var perRank = DifferenceFromOneProcess("--norm", "batch");
        Assert.True(perRank > 1e-4, $"per-rank batch norm unexpectedly matches one batch of 2B ({perRank})");
    }

    private double DifferenceFromOneProcess(params string[] options)
    {
        var (alone, ranks) = (folder.Combine("alone.bin"), folder.Combine("ranks.bin"));
        string[] train = ["train", "--steps", "4", "--global-batch", "8", .. options];
        using (var single = WorkerProcess.Alone([.. train, "--state", alone]))
            Assert.True(single.WaitForExit(Timeout) == 0, single.Output);
        using (var job = WorkerProcess.Ranks(2, [.. train, "--state", ranks]))
            Assert.True(job.WaitForExit(Timeout) == 0, job.Output);
        return TinyCheckpoint.LargestDifference(alone, ranks);
    }

    public void Dispose() => folder.Dispose();
}
