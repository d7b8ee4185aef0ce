using Dsl.Runtime.Checkpoints;
using Xunit;

namespace Dsl.Models.Tests.Checkpoints;

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
}
