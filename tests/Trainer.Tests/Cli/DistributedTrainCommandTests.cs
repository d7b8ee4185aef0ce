using Dsl.Runtime.Tests.Distributed;

namespace Dsl.Trainer.Tests.Cli;

/// <summary><c>dsl train --nproc N</c> end to end: the launcher, data-parallel training, and resume with another world size.</summary>
public sealed class DistributedTrainCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dsl-nproc-").FullName;

    [Fact]
    public void TwoRanksTrainThenOneRankResumes()
    {
        // With an average of the weights, which the ranks evaluate together and the single process continues.
        var common = new[] { "train", "--model", "bLResNet-Small", "--data", "synthetic", "--batch-size", "32", "--logdir", folder, "--ema", "0.99" };

        var (code, text) = Dsl([.. common, "--nproc", "2", "--sync-bn", "--epochs", "1"]);
        Assert.True(code == 0, text);
        Assert.Contains("[rank 0] Train: [001/001]", text);
        // Rank 1 trains silently: rank 0 alone reports, logs and saves.
        Assert.DoesNotContain("[rank 1] Train:", text);
        var checkpoint = Path.Combine(folder, "bLResNet-Small", TrainingLoop.CheckpointFileName);
        Assert.Equal(1, EpochOf(checkpoint));
        Assert.Matches(@"\[rank 0\] Val  : \[001/001\].*\tEMA Top@1: ", text);
        // 512 synthetic images: 8 steps of two ranks' 32, then 16 steps of one process's 32.
        Assert.Equal(8, AverageUpdatesOf(checkpoint));

        // The checkpoint holds the whole model, so a single process continues it.
        (code, text) = Dsl([.. common, "--epochs", "2", "--resume", checkpoint]);
        Assert.True(code == 0, text);
        Assert.Contains("Train: [002/002]", text);
        Assert.DoesNotContain("Train: [001/002]", text);
        Assert.Equal(2, EpochOf(checkpoint));
        Assert.Equal(24, AverageUpdatesOf(checkpoint));
    }

    [Fact]
    public void ARankThatFailsAloneEndsTheJobWithItsError()
    {
        // Rank 0 alone writes the log, and a file stands where its folder goes: rank 0 fails while rank 1 trains on
        // and waits for it in the first collective.
        File.WriteAllText(Path.Combine(folder, "bLResNet-Small"), "not a folder");
        // A job left waiting would meet Dsl's three-minute bound, which throws.
        var (code, text) = Dsl("train", "--model", "bLResNet-Small", "--data", "synthetic", "--batch-size", "32", "--epochs", "1",
            "--nproc", "2", "--logdir", folder);
        Assert.True(code != 0, text);
        Assert.Contains("[rank 0] error:", text);
        Assert.Contains(Path.Combine(folder, "bLResNet-Small"), text);
    }

    [Fact]
    public void AWrongModelIsReportedOnceBeforeAnyRankStarts()
    {
        var (code, text) = Dsl("train", "--model", "bLResNet-Smal", "--data", "synthetic", "--nproc", "2");
        Assert.Equal(2, code);
        Assert.Equal(1, text.Split('\n').Count(line => line.StartsWith("error: unknown model 'bLResNet-Smal'", StringComparison.Ordinal)));
        Assert.DoesNotContain("[rank", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public void NprocMustBePositive()
    {
        var (code, text) = Dsl("train", "--data", "synthetic", "--nproc", "0");
        Assert.NotEqual(0, code);
        Assert.Contains("--nproc must be positive", text);
    }

    private static int EpochOf(string checkpoint)
    {
        using var loaded = TrainingCheckpoint.Load(checkpoint);
        return loaded.Progress.Epoch;
    }

    private static long AverageUpdatesOf(string checkpoint)
    {
        using var loaded = TrainingCheckpoint.Load(checkpoint);
        return loaded.EmaUpdates;
    }

    private static (int Code, string Output) Dsl(params string[] args)
    {
        var info = new ProcessStartInfo(WorkerProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dsl.dll"));
        foreach (var argument in args) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dsl {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
