using System.IO.Compression;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Reads the zip layout torch.save has written since PyTorch 1.6: <c>&lt;folder&gt;/data.pkl</c> (the pickled
/// object) and <c>&lt;folder&gt;/data/&lt;key&gt;</c> (raw little-endian storages). The folder name varies
/// ("archive", or the file's stem in older releases). A storage record is read when the pickle first names it,
/// and all records together may not read more than a <see cref="DecompressionBudget"/> allows.
/// </summary>
internal static class TorchArchiveReader
{
    private const string PickleName = "data.pkl";

    /// <summary>
    /// Unpickles the archive. The tensors it builds belong to no dispose scope: the caller owns and disposes them.
    /// </summary>
    public static (object? Root, IReadOnlyList<Tensor> Tensors) Read(string path)
    {
        using var stream = Open(path);
        try
        {
            return Read(stream, path);
        }
        // ZipArchive reads the central directory lazily, so a damaged one can surface on any later access.
        catch (InvalidDataException e)
        {
            throw new CheckpointException(path, $"is not a readable zip archive (truncated or corrupt): {e.Message}", e);
        }
    }

    private static (object? Root, IReadOnlyList<Tensor> Tensors) Read(FileStream stream, string path)
    {
        RefuseLegacyFormat(stream, path);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var pickle = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/" + PickleName, StringComparison.Ordinal)
                                                         && e.FullName.IndexOf('/') == e.FullName.Length - PickleName.Length - 1)
                     ?? throw new CheckpointException(path, $"the zip archive has no <folder>/{PickleName} record, so it was not written by torch.save");
        var folder = pickle.FullName[..^PickleName.Length];

        var budget = new DecompressionBudget(path, stream.Length);
        var data = ReadEntry(pickle, pickle.Length, budget, path);
        var calls = new PickleCalls(path, data.Length, (key, dtype, count) => LoadStorage(archive, folder, key, dtype, count, budget, path));
        var completed = false;
        try
        {
            var root = new PickleReader(data, path, calls).Load();
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

    private static void RefuseLegacyFormat(FileStream stream, string path)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = stream.Read(magic);
        stream.Position = 0;
        if (read == 2 && magic[0] == 0x80)
            throw new CheckpointException(path, "is in the legacy (before PyTorch 1.6) torch.save format, which is not supported; re-save it with a newer PyTorch");
    }

    private static TorchStorage LoadStorage(ZipArchive archive, string folder, string key, ScalarType dtype, long count, DecompressionBudget budget, string path)
    {
        var name = $"{folder}data/{key}";
        var entry = archive.GetEntry(name) ?? throw new CheckpointException(path, $"storage record '{name}' is missing");
        long needed;
        try
        {
            needed = checked(count * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new CheckpointException(path, $"storage record '{name}' claims an impossible {count} elements");
        }
        if (entry.Length < needed)
            throw new CheckpointException(path, $"storage record '{name}' holds {entry.Length} bytes but its {count} {dtype} elements need {needed}");
        var bytes = ReadEntry(entry, needed, budget, path);
        var flat = TensorFromFile.Build(path, $"storage '{key}' of {count} {dtype} elements", () => torch.empty([count], dtype));
        if (count > 0) flat.bytes = bytes;
        return new TorchStorage(key, dtype, count, flat);
    }

    /// <summary>The first <paramref name="length"/> bytes of a record.</summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, long length, DecompressionBudget budget, string path)
    {
        if (length > Array.MaxLength)
            throw new CheckpointException(path, $"record '{entry.FullName}' is larger than 2 GB, which is not supported");
        budget.Spend(entry.FullName, length);
        try
        {
            using var input = entry.Open();
            var bytes = new byte[length];
            input.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new CheckpointException(path, $"record '{entry.FullName}' cannot be read (truncated or corrupt): {e.Message}", e);
        }
    }
}
