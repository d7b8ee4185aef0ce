using Dsl.Runtime.Platform;

namespace Dsl.Runtime.Data;

/// <summary>
/// Reads files that data sets and specs name, trusting neither their kind nor their size: only a regular file
/// (a symbolic link to one is fine) of at most a given size is read. A FIFO or device would block or never end,
/// and a huge file would cost its size in memory. Refusals are <see cref="IOException"/>s naming the file.
/// </summary>
public static class RegularFile
{
    /// <summary>Opens <paramref name="path"/> for reading after checking that it is a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    public static FileStream OpenRead(string path, long maxBytes, int bufferSize = 4096)
    {
        var handle = OperatingSystem.IsLinux() ? NativeFile.OpenWithoutBlocking(path) : File.OpenHandle(path);
        try
        {
            var (notRegular, length) = OperatingSystem.IsLinux() ? NativeFile.Status(handle, path) : (null, RandomAccess.GetLength(handle));
            if (notRegular is not null) throw new IOException($"'{path}' is {notRegular}, not a regular file");
            if (length > maxBytes) throw new IOException($"'{path}' has {length:N0} bytes, more than the {maxBytes:N0} allowed");
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The whole file, read as <see cref="OpenRead"/> allows.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var file = OpenRead(path, maxBytes, bufferSize: 0);
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)file.Length));
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The whole file as UTF-8 text (a byte-order mark dropped), read as <see cref="OpenRead"/> allows.</summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        using var reader = new StreamReader(OpenRead(path, maxBytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
