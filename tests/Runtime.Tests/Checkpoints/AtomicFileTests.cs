namespace Dsl.Runtime.Tests.Checkpoints;

public sealed class AtomicFileTests
{
    [Fact]
    public void AWriteThatFailsMidwayLeavesThePreviousFileAndNoTemporary()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("checkpoint.pth.tar");
        File.WriteAllText(path, "previous");

        var error = Assert.Throws<CheckpointException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("No space left on device");
        }));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("No space left on device", error.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void CopyReplacesTheTargetWholeAndAMissingSourceChangesNothing()
    {
        using var temp = new TempFolder();
        var (source, target) = (temp.Combine("checkpoint.pth.tar"), temp.Combine("model_best.pth.tar"));
        File.WriteAllBytes(source, [1, 2, 3]);
        File.WriteAllBytes(target, [9]);
        AtomicFile.Copy(source, target);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));

        var error = Assert.Throws<CheckpointException>(() => AtomicFile.Copy(temp.Combine("absent"), target));
        Assert.Equal(target, error.FilePath);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
        Assert.Equal(2, Directory.GetFiles(temp.Path).Length);
    }

    [Fact]
    public void ATemporaryLeftByAKilledWriterIsRemovedByTheNextWrite()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("checkpoint.pth.tar");
        var killed = KilledProcessId();
        var stale = temp.Combine($".checkpoint.pth.tar.tmp-{killed}-1");
        var live = temp.Combine($".checkpoint.pth.tar.tmp-{Environment.ProcessId}-999999");
        var otherTarget = temp.Combine($".model_best.pth.tar.tmp-{killed}-1");
        foreach (var file in new[] { stale, live, otherTarget }) File.WriteAllBytes(file, new byte[1 << 20]);

        AtomicFile.Write(path, stream => stream.Write([1, 2, 3]));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([live, otherTarget, path], Directory.GetFiles(temp.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheFolderIsFlushedToDiskAfterTheRename()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("checkpoint.pth.tar");
        var calls = SystemCalls.Traced(temp.Combine("trace.log"), () => AtomicFile.Write(path, stream => stream.Write([7])));

        var rename = calls.FindIndex(c => c.StartsWith("rename", StringComparison.Ordinal) && c.Contains($"\"{path}\""));
        Assert.True(rename >= 0, "no rename onto the target:\n" + string.Join("\n", calls));
        var open = calls.FindIndex(rename, c => c.StartsWith("openat(", StringComparison.Ordinal) && c.Contains($"\"{temp.Path}\", ") && c.Contains("O_DIRECTORY"));
        Assert.True(open > rename, "the folder is not opened after the rename:\n" + string.Join("\n", calls));
        var descriptor = calls[open][(calls[open].LastIndexOf('=') + 1)..].Trim();
        Assert.Contains($"fsync({descriptor}) = 0", calls.Skip(open));
    }

    // The id of a process that has been killed and reaped, as a writer killed mid-checkpoint leaves it.
    private static int KilledProcessId()
    {
        using var sleeper = Process.Start("sleep", "60");
        sleeper.Kill();
        sleeper.WaitForExit();
        return sleeper.Id;
    }
}
