using Xunit;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Dsl.Runtime.Distributed;

namespace Dsl.Trainer.Tests.Distributed;

public sealed class MultiProcessTests
{
    private static Dictionary<string, string> RankEnvironment(int rank, int worldSize, int port) => new()
    {
        ["RANK"] = rank.ToString(CultureInfo.InvariantCulture),
        ["LOCAL_RANK"] = rank.ToString(CultureInfo.InvariantCulture),
        ["WORLD_SIZE"] = worldSize.ToString(CultureInfo.InvariantCulture),
        ["MASTER_ADDR"] = "127.0.0.1",
        ["MASTER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Collects a process's output lines as they come.</summary>
    private sealed class Lines
    {
        public readonly ConcurrentQueue<string> Out = new();
        public readonly ConcurrentQueue<string> Error = new();

        public Lines(Process process)
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) Out.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Error.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public bool WaitFor(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (Out.Any(line => line.Contains(text, StringComparison.Ordinal))) return true;
                Thread.Sleep(50);
            }
            return false;
        }
    }

    [Fact]
    public void KillingARankMakesTheOtherFailPromptlyAndLeavesTheCheckpointIntact()
    {
        var port = FreePort.Pick();
        var directory = Directory.CreateTempSubdirectory("dsl-dist-");
        var checkpoint = Path.Combine(directory.FullName, "model.ckpt");
        string[] args = ["train", "--steps", "100000", "--batch", "4", "--step-delay-ms", "20", "--timeout-seconds", "20"];
        using var master = WorkerProcess.Start(RankEnvironment(0, 2, port), [.. args, "--checkpoint", checkpoint]);
        using var other = WorkerProcess.Start(RankEnvironment(1, 2, port), args);
        var masterLines = new Lines(master);
        var otherLines = new Lines(other);
        try
        {
            Assert.True(otherLines.WaitFor("step 3 ", TimeSpan.FromSeconds(60)), "rank 1 did not reach step 3: " + string.Join('\n', otherLines.Error));
            other.Kill(entireProcessTree: true);
            var clock = Stopwatch.StartNew();
            Assert.True(master.WaitForExit(TimeSpan.FromSeconds(30)), "rank 0 still runs 30 s after its peer was killed");
            master.WaitForExit();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
            Assert.Equal(2, master.ExitCode);
            Assert.Contains(masterLines.Error, line => line.Contains("failed on rank 0 of 2 (gloo)", StringComparison.Ordinal));

            // The file holds the last checkpoint rank 0 announced, complete.
            var announced = masterLines.Out.Where(line => line.StartsWith("checkpoint ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(announced);
            var expected = double.Parse(announced[^1].Split(' ')[^1], CultureInfo.InvariantCulture);
            var entries = TinyCheckpoint.Read(checkpoint);
            try
            {
                Assert.Equal(expected, TinyCheckpoint.Checksum(entries));
                using var model = new TinyConvNet(TinyNorm.BatchNorm);
                model.LoadStateDict(entries);
            }
            finally
            {
                foreach (var entry in entries) entry.Value.Dispose();
            }
        }
        finally
        {
            if (!master.HasExited) master.Kill(entireProcessTree: true);
            if (!other.HasExited) other.Kill(entireProcessTree: true);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LauncherRelaysPrefixedOutputAndSucceeds()
    {
        using var output = new StringWriter();
        var code = LocalLauncher.Run(2, WorkerProcess.Command("train", "--steps", "2", "--batch", "2"), output);
        var text = output.ToString();
        Assert.True(code == 0, text);
        Assert.Contains("[rank 0] rank 0 done", text);
        Assert.Contains("[rank 1] rank 1 step 2 loss", text);
    }

    [Fact]
    public void LauncherStopsEveryRankWhenOneFailsAndReturnsItsCode()
    {
        using var output = new StringWriter();
        var clock = Stopwatch.StartNew();
        var code = LocalLauncher.Run(2, WorkerProcess.Command("fail", "--fail-rank", "1", "--code", "3", "--wait-seconds", "120"), output);
        var text = output.ToString();
        Assert.True(code == 3, text);
        // Rank 0 would sleep two minutes unless the launcher killed it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains("[rank 0] rank 0 joined", text);
        Assert.Contains("[launcher] rank 1 exited with code 3", text);
    }
}
