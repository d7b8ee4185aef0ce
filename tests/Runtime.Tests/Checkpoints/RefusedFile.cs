namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>A file written for a checkpoint reader to refuse with a <see cref="CheckpointException"/> that names it.</summary>
internal static class RefusedFile
{
    /// <summary>What <see cref="Checkpoint.Read"/> threw on the file that <paramref name="write"/> made, and its path.</summary>
    public static (CheckpointException Error, string Path) AsCheckpoint(string name, Action<string> write) =>
        Named(HostileFile.Refused<CheckpointException>(name, write, path => Checkpoint.Read(path).Dispose()));

    /// <summary><see cref="AsCheckpoint(string, Action{string})"/> for a crafted archive of the pickle and storage records.</summary>
    public static (CheckpointException Error, string Path) AsCheckpoint(string name, byte[] pickle, params (string Key, byte[] Data)[] storages) =>
        AsCheckpoint(name, path => CraftedArchive.Write(path, pickle, storages));

    /// <summary>
    /// What loading the crafted archive into a <see cref="SmallNet"/> threw, within ten seconds (a bug here recurses or
    /// loops): a <see cref="CheckpointException"/> that names the file.
    /// </summary>
    public static CheckpointException OnLoad(string name, byte[] pickle) =>
        Named(HostileFile.WithinSeconds(10, () => HostileFile.Refused<CheckpointException>(name,
            path => CraftedArchive.Write(path, pickle), path => Checkpoint.LoadInto(new SmallNet(), path)))).Error;

    /// <summary>What <see cref="SafeTensors.Read"/> threw on the file that <paramref name="write"/> made, and its path.</summary>
    public static (CheckpointException Error, string Path) AsSafeTensors(string name, Action<string> write) =>
        Named(HostileFile.Refused<CheckpointException>(name, write, path => SafeTensors.Read(path).Dispose()));

    private static (CheckpointException Error, string Path) Named((CheckpointException Error, string Path) refused)
    {
        Assert.Equal(refused.Path, refused.Error.FilePath);
        return refused;
    }
}
