using Xunit.Sdk;

namespace Dsl.Generator.Tests;

/// <summary>The snapshot helper itself: a mismatch fails with a readable diff and leaves the received text.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void DiffShowsChangedLinesOnly()
    {
        var diff = Snapshot.Diff("same\nold\nsame\n", "same\nnew\nsame\n");
        Assert.Equal("line 2\n  - old\nline 2\n  + new\n", diff);
    }

    [Fact]
    public void AnInsertedLineIsTheOnlyChange()
    {
        var diff = Snapshot.Diff("a\nb\nc\nd\n", "a\ninserted\nb\nc\nd\n");
        Assert.Equal("line 2\n  + inserted\n", diff);
    }

    [NotAcceptingSnapshotsFact]
    public void MismatchWritesTheReceivedFileAndFails()
    {
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

    [NotAcceptingSnapshotsFact]
    public void FilesOfNoCurrentSnapshotFail()
    {
        var folder = "SelfTest/orphans-" + Guid.NewGuid().ToString("N");
        var root = Path.Combine(Snapshot.Folder, folder);
        Directory.CreateDirectory(Path.Combine(root, "nested"));
        foreach (var file in new[] { "kept.verified.txt", "kept.received.txt", "gone.verified.txt", "notes.md", "nested/kept.verified.txt" })
            File.WriteAllText(Path.Combine(root, file), "text\n");
        try
        {
            var error = Assert.Throws<XunitException>(() => Snapshot.AssertNoOrphans(folder, ["kept"]));
            Assert.Contains("3 file(s)", error.Message);
            Assert.Contains(Path.Combine(root, "gone.verified.txt"), error.Message);
            Assert.Contains(Path.Combine(root, "notes.md"), error.Message);
            Assert.Contains(Path.Combine(root, "nested", "kept.verified.txt"), error.Message);
            Assert.DoesNotContain(Path.Combine(root, "kept."), error.Message);
            File.Delete(Path.Combine(root, "notes.md"));
            Snapshot.AssertNoOrphans(folder, ["kept", "gone", "nested/kept"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            var selfTest = Path.GetDirectoryName(root)!;
            if (!Directory.EnumerateFileSystemEntries(selfTest).Any()) Directory.Delete(selfTest);
        }
    }
}
