using System.Buffers.Binary;
using System.IO.Compression;

namespace Dsl.Runtime.Data;

/// <summary>Reads the IDX files of MNIST-style data sets (optionally gzip-compressed), unsigned-byte data only.</summary>
public static class IdxFile
{
    /// <summary>
    /// The most that deflate expands data: 1032 to 1 (258-byte matches coded in 2 bits). A gzip file's content is
    /// at most its length times this, which bounds what a header may declare before anything is allocated.
    /// </summary>
    public const int MaxGzipExpansion = 1032;

    /// <summary>Returns the dimensions and the raw bytes; checks the magic number and that the data is complete.</summary>
    public static (int[] Dimensions, byte[] Data) Read(string path, int expectedRank)
    {
        if (!File.Exists(path)) throw new DataException($"IDX file '{path}' does not exist");
        try
        {
            using var file = RegularFile.OpenRead(path, Array.MaxLength);
            var compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            using Stream stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
            Span<byte> header = stackalloc byte[4];
            ReadExactly(stream, header, path, "header");
            // Magic: two zero bytes, the element type (0x08 = unsigned byte) and the number of dimensions.
            if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != expectedRank)
                throw new DataException(
                    $"'{path}' is not an unsigned-byte IDX file of rank {expectedRank} (magic {Convert.ToHexString(header)}, expected 000008{expectedRank:X2})");
            var dims = ReadDimensions(stream, path, expectedRank);
            var headerBytes = 4L + 4L * expectedRank;
            var available = compressed ? file.Length * MaxGzipExpansion : file.Length - headerBytes;
            var total = DataLength(dims, Math.Min(available, Array.MaxLength), path);
            var data = new byte[total];
            ReadExactly(stream, data, path, "data");
            if (stream.ReadByte() != -1) throw new DataException($"'{path}' has data after the {total} bytes its header declares");
            return (dims, data);
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"'{path}' is not valid gzip data: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DataException($"IDX file '{path}' cannot be read: {e.Message}", e);
        }
    }

    private static int[] ReadDimensions(Stream stream, string path, int rank)
    {
        var dims = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        for (var i = 0; i < rank; i++)
        {
            ReadExactly(stream, dim, path, "dimensions");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (dims[i] <= 0) throw new DataException($"'{path}': dimension {i} is {dims[i]}");
        }
        return dims;
    }

    // The product of the dimensions, refused before allocation when the file cannot hold that many bytes.
    private static long DataLength(int[] dims, long available, string path)
    {
        long total = 1;
        try
        {
            foreach (var dim in dims) total = checked(total * dim);
        }
        catch (OverflowException)
        {
            throw new DataException($"'{path}' declares dimensions {string.Join(" x ", dims)}, whose product does not fit in 64 bits");
        }
        if (total > available)
            throw new DataException($"'{path}' declares {string.Join(" x ", dims)} = {total:N0} bytes, but the file can hold at most {available:N0}");
        return total;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0) throw new DataException($"'{path}' is truncated: its {what} ends after {read} of {buffer.Length} bytes");
            read += n;
        }
    }
}
