using System.Buffers.Binary;
using System.IO.Compression;

namespace OnnxClassify;

/// <summary>An IDX file (the MNIST format, gzip-compressed or not): unsigned bytes with big-endian dimensions.</summary>
internal sealed record IdxFile(int[] Dimensions, byte[] Values)
{
    public static IdxFile Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
            throw new InvalidDataException($"{path}: not an IDX file of unsigned bytes");
        var rank = bytes[3];
        var dimensions = new int[rank];
        for (var i = 0; i < rank; i++) dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
        var offset = 4 + 4 * rank;
        var count = dimensions.Aggregate(1L, (a, d) => a * d);
        if (bytes.Length - offset != count)
            throw new InvalidDataException($"{path}: the header promises {count} values, the file holds {bytes.Length - offset}");
        return new IdxFile(dimensions, bytes[offset..]);
    }
}
