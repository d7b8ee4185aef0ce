using System.IO.Compression;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Reads the zip layout torch.save has written since PyTorch 1.6: <c>&lt;folder&gt;/data.pkl</c> (the pickled
/// object) and <c>&lt;folder&gt;/data/&lt;key&gt;</c> (raw little-endian storages). The folder name varies
/// ("archive", or the file's stem in older releases).
/// </summary>
internal static class TorchArchiveReader
{
    /// <summary>Unpickles the archive; the tensors it builds are returned and belong to the caller.</summary>
    public static (object? Root, IReadOnlyList<Tensor> Tensors) Read(string path)
    {
        using var stream = Open(path);
        using var archive = OpenZip(stream, path);

        var pickle = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                                                         && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length)
                     ?? throw new CheckpointException(path, "the zip archive has no <folder>/data.pkl record, so it was not written by torch.save");
        var folder = pickle.FullName[..^"data.pkl".Length];

        var calls = new PickleCalls(path, (key, dtype, count) => LoadStorage(archive, folder, key, dtype, count, path));
        var completed = false;
        try
        {
            var root = new PickleReader(ReadEntry(pickle, path), path, calls).Load();
            completed = true;
            return (root, calls.Tensors);
        }
        finally
        {
            foreach (var storage in calls.Storages) storage.Dispose();
            if (!completed)
                foreach (var tensor in calls.Tensors) tensor.Dispose();
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot be opened: {e.Message}", e);
        }
    }

    private static ZipArchive OpenZip(FileStream stream, string path)
    {
        var magic = new byte[2];
        var read = stream.Read(magic);
        stream.Position = 0;
        if (read == 2 && magic[0] == 0x80)
            throw new CheckpointException(path, "is in the legacy (before PyTorch 1.6) torch.save format, which is not supported; re-save it with a newer PyTorch");
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(path, $"is not a readable zip archive (truncated or not a torch.save file): {e.Message}", e);
        }
    }

    private static TorchStorage LoadStorage(ZipArchive archive, string folder, string key, DType dtype, long count, string path)
    {
        var name = $"{folder}data/{key}";
        var entry = archive.GetEntry(name) ?? throw new CheckpointException(path, $"storage record '{name}' is missing");
        var needed = count * dtype.ElementSize();
        if (entry.Length < needed)
            throw new CheckpointException(path, $"storage record '{name}' holds {entry.Length} bytes but its {count} {dtype} elements need {needed}");
        if (needed > Array.MaxLength)
            throw new CheckpointException(path, $"storage record '{name}' is larger than 2 GB, which is not supported");
        var bytes = ReadEntry(entry, path);
        var flat = TensorScope.Detach(Tensor.FromBytes(bytes.AsSpan(0, (int)needed), dtype, [count]));
        return new TorchStorage(key, dtype, count, flat);
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string path)
    {
        try
        {
            using var input = entry.Open();
            var bytes = new byte[entry.Length];
            input.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
        {
            throw new CheckpointException(path, $"record '{entry.FullName}' cannot be read (truncated or corrupt): {e.Message}", e);
        }
    }
}
