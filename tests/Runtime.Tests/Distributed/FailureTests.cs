using System.Globalization;

namespace Dsl.Runtime.Tests.Distributed;

/// <summary>What happens when a rank dies or fails: the job ends promptly, with a clear error, and nothing written is damaged.</summary>
[Trait(MultiProcessTrait.Name, MultiProcessTrait.Value)]
public sealed class FailureTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public void KillingARankEndsTheJobPromptlyAndLeavesTheCheckpointIntact()
    {
        var checkpoint = folder.Combine("model.ckpt");
        using var job = WorkerProcess.Ranks(2, "train", "--steps", "100000", "--global-batch", "4", "--step-delay-ms", "20", "--checkpoint", checkpoint);
        Assert.True(job.WaitForLine("rank 1 step 3 ", TimeSpan.FromSeconds(60)), "rank 1 did not reach step 3:\n" + job.Output);
        var pid = job.Lines.Select(line => line.Split(' ')).First(words => words.Length >= 4 && words[^4].EndsWith("rank", StringComparison.Ordinal)
            && words[^3] == "1" && words[^2] == "pid")[^1];
        using (var rank = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture))) rank.Kill();

        // Left running, rank 0 would train for half an hour: WaitForExit's bound throws long before.
        var code = job.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, code);
        Assert.Contains(job.Lines, line => line.Contains("signal 9", StringComparison.Ordinal) || line.Contains("Killed", StringComparison.Ordinal));

        // The file holds the last checkpoint rank 0 announced, or the one it wrote just before it was ended, complete.
        var announced = job.Lines.Where(line => line.Contains("checkpoint ", StringComparison.Ordinal)).Select(line => line.Split(' ')).ToList();
        Assert.NotEmpty(announced);
        var (lastStep, lastChecksum) = (int.Parse(announced[^1][^2], CultureInfo.InvariantCulture), double.Parse(announced[^1][^1], CultureInfo.InvariantCulture));
        var (step, entries) = TinyCheckpoint.Read(checkpoint);
        Assert.InRange(step, lastStep, lastStep + 1);
        if (step == lastStep) Assert.Equal(lastChecksum, TinyCheckpoint.Checksum(entries));
        using var model = new TinyConvNet(TinyNorm.BatchNorm);
        model.load_state_dict(entries);
    }

    [Fact]
    public void LauncherRelaysPrefixedOutputAndSucceeds()
    {
        var (code, text) = Launch(2, "train", "--steps", "2", "--global-batch", "4");
        Assert.True(code == 0, text);
        Assert.Contains("[rank 0] rank 0 done", text);
        Assert.Contains("[rank 1] rank 1 step 2 state", text);
    }

    [Fact]
    public void LauncherEndsEveryRankWhenOneFailsAndReturnsNonZero()
    {
        // Rank 0 would sleep two minutes unless mpirun ended it, past Launch's 90-second bound.
        var (code, text) = Launch(2, "fail", "--fail-rank", "1", "--code", "3", "--wait-seconds", "120");
        Assert.True(code != 0, text);
        Assert.Contains("[rank 1] rank 1 fails on purpose", text);
        Assert.Contains("[launcher] a rank failed", text);
    }

    // LocalLauncher, as `dsl train --nproc` runs it, with a bound on the wait.
    private static (int Code, string Output) Launch(int nproc, params string[] args)
    {
        var output = new StringWriter();
        var run = Task.Run(() => Dsl.Runtime.Distributed.LocalLauncher.Run(nproc, WorkerProcess.Command(args), TextWriter.Synchronized(output)));
        Assert.True(run.Wait(TimeSpan.FromSeconds(90)), "the launcher did not return within 90 s:\n" + output);
        return (run.Result, output.ToString());
    }

    public void Dispose() => folder.Dispose();
}
