using System.Buffers.Binary;

namespace Dsl.Runtime.Logging;

/// <summary>
/// TFRecord framing: little-endian uint64 length, masked CRC-32C of those 8 bytes, the data, masked CRC-32C
/// of the data.
/// </summary>
public static class TfRecord
{
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>Every record of a stream; a bad CRC or a cut-off record throws with its offset.</summary>
    public static IEnumerable<byte[]> ReadAll(Stream stream, string source)
    {
        var header = new byte[12];
        var footer = new byte[4];
        long offset = 0;
        while (true)
        {
            var got = stream.ReadAtLeast(header, 12, throwOnEndOfStream: false);
            if (got == 0) yield break;
            if (got < 12) throw new InvalidDataException($"{source}: record header at byte {offset} is cut off");
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)) != Crc32C.Masked(header.AsSpan(0, 8)))
                throw new InvalidDataException($"{source}: length CRC mismatch in the record at byte {offset}");
            if (length > int.MaxValue) throw new InvalidDataException($"{source}: record at byte {offset} claims {length} bytes");
            var data = new byte[length];
            if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length
                || stream.ReadAtLeast(footer, 4, throwOnEndOfStream: false) < 4)
                throw new InvalidDataException($"{source}: record at byte {offset} is cut off");
            if (BinaryPrimitives.ReadUInt32LittleEndian(footer) != Crc32C.Masked(data))
                throw new InvalidDataException($"{source}: data CRC mismatch in the record at byte {offset}");
            offset += 16 + data.Length;
            yield return data;
        }
    }
}
