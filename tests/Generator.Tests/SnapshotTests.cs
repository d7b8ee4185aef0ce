using Xunit;
using Xunit.Sdk;

namespace Dsl.Generator.Tests;

/// <summary>The snapshot helper itself: a mismatch fails with a readable diff and leaves the received text.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void DiffShowsChangedLinesOnly()
    {
        var diff = Snapshot.Diff("same\nold\nsame\n", "same\nnew\nsame\n");
        Assert.Equal("line 2\n  - old\n  + new\n", diff);
    }

    [Fact]
    public void MismatchWritesTheReceivedFileAndFails()
    {
        if (Environment.GetEnvironmentVariable("DSL_ACCEPT_SNAPSHOTS") == "1") return;
        var name = "SelfTest/mismatch-" + Guid.NewGuid().ToString("N");
        var verified = Path.Combine(Snapshot.Folder, name + ".verified.txt");
        var received = Path.Combine(Snapshot.Folder, name + ".received.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(verified)!);
        File.WriteAllText(verified, "one\ntwo\n");
        try
        {
            Snapshot.Verify(name, "one\ntwo\n");
            Assert.False(File.Exists(received));
            var error = Assert.Throws<XunitException>(() => Snapshot.Verify(name, "one\nthree\n"));
            Assert.Contains("  - two", error.Message);
            Assert.Contains("  + three", error.Message);
            Assert.Equal("one\nthree\n", File.ReadAllText(received));
        }
        finally
        {
            File.Delete(verified);
            File.Delete(received);
            var folder = Path.GetDirectoryName(verified)!;
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
    }
}
