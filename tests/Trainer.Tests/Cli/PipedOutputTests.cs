namespace Dsl.Trainer.Tests.Cli;

/// <summary><c>dsl list</c> and <c>dsl summary</c> with their output piped, as a script or a log gets them.</summary>
public sealed class PipedOutputTests
{
    [Fact]
    public void PipedListKeepsEachRowOnOneLine()
    {
        var output = RunPiped("list");

        Assert.DoesNotContain('\u001b', output);
        // Not wrapped at 80 columns: the longest name whole, and rows wider than a terminal's default.
        Assert.Contains("bLSEResNeXt-101-32x4d", output);
        Assert.Contains(output.Split('\n'), row => row.Length > 80);
    }

    [Fact]
    public void PipedSummaryHasNoEscapeCodes()
    {
        var output = RunPiped("summary", "ScaleNet-50");

        Assert.DoesNotContain('\u001b', output);
        Assert.StartsWith("ScaleNet-50 (scalenet), input 3x224x224, 1000 classes", output);
    }

    private static string RunPiped(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(DslCommandLine).Assembly.Location);
        foreach (var argument in args) info.ArgumentList.Add(argument);
        info.Environment.Remove("NO_COLOR");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "dsl did not exit within a minute");
        Assert.True(process.ExitCode == 0, stderr.Result);
        return stdout.Result;
    }
}
