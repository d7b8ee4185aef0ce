using System.Buffers.Binary;
using System.IO.Compression;

namespace Dsl.Runtime.Data;

/// <summary>Reads the IDX files of MNIST-style data sets (optionally gzip-compressed), unsigned-byte data only.</summary>
public static class IdxFile
{
    /// <summary>Returns the dimensions and the raw bytes; checks the magic number and that the data is complete.</summary>
    public static (int[] Dimensions, byte[] Data) Read(string path, int expectedRank)
    {
        if (!File.Exists(path)) throw new DataException($"IDX file '{path}' does not exist");
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            Span<byte> header = stackalloc byte[4];
            ReadExactly(stream, header, path, "header");
            // Magic: two zero bytes, the element type (0x08 = unsigned byte) and the number of dimensions.
            if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != expectedRank)
                throw new DataException(
                    $"'{path}' is not an unsigned-byte IDX file of rank {expectedRank} (magic {Convert.ToHexString(header)}, expected 000008{expectedRank:X2})");
            var dims = new int[expectedRank];
            Span<byte> dim = stackalloc byte[4];
            long total = 1;
            for (var i = 0; i < expectedRank; i++)
            {
                ReadExactly(stream, dim, path, "dimensions");
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
                if (dims[i] <= 0) throw new DataException($"'{path}': dimension {i} is {dims[i]}");
                total *= dims[i];
            }
            if (total > int.MaxValue) throw new DataException($"'{path}' declares {total} bytes, too many");
            var data = new byte[total];
            ReadExactly(stream, data, path, "data");
            if (stream.ReadByte() != -1) throw new DataException($"'{path}' has data after the {total} bytes its header declares");
            return (dims, data);
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"'{path}' is not valid gzip data: {e.Message}", e);
        }
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
