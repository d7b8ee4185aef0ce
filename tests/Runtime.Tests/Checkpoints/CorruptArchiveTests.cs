namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>A damaged zip around the pickle must also fail with a CheckpointException that names the file.</summary>
public sealed class CorruptArchiveTests
{
    private const int EndOfCentralDirectorySize = 22;

    [Fact]
    public void WrongEntryCountInTheCentralDirectoryNamesTheFile()
    {
        var bytes = File.ReadAllBytes(TestPaths.FixtureCheckpoint);
        var end = bytes.Length - EndOfCentralDirectorySize;
        Assert.Equal(0x06054B50u, BitConverter.ToUInt32(bytes, end));
        // Both entry counts of the end record claim three more records than the directory holds.
        foreach (var field in new[] { end + 8, end + 10 })
            BitConverter.GetBytes((ushort)(BitConverter.ToUInt16(bytes, field) + 3)).CopyTo(bytes, field);

        var (error, path) = RefusedFile.AsCheckpoint("miscounted.pth.tar", path => File.WriteAllBytes(path, bytes));
        Assert.StartsWith(path + ": is not a readable zip archive", error.Message);
    }

    [Fact]
    public void RandomDamageAnywhereInTheFileIsACheckpointException()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("damaged.pth.tar");
        var original = File.ReadAllBytes(TestPaths.FixtureCheckpoint);
        var random = new Random(42);
        for (var trial = 0; trial < 60; trial++)
        {
            var damaged = (byte[])original.Clone();
            // Half the trials hit the zip's own records at the end, where most of the structure lives.
            var from = trial % 2 == 0 ? 0 : damaged.Length - 4096;
            for (var flips = 0; flips < 4; flips++) damaged[random.Next(from, damaged.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(path, damaged);
            var error = Record.Exception(() => Checkpoint.Read(path).Dispose());
            Assert.True(error is null or CheckpointException, $"trial {trial} gave {error?.GetType().Name}: {error?.Message}");
            if (error is CheckpointException named) Assert.Equal(path, named.FilePath);
        }
    }
}
