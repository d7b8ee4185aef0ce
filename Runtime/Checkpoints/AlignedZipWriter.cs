using System.Buffers.Binary;
using System.Text;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Writes an uncompressed zip whose record data start on 64-byte boundaries, as PyTorch's writer does
/// (padding goes into an extra field with id "FB"), so readers may map storages in place.
/// Works on streams that cannot seek; archives beyond 4 GiB (zip64) are refused.
/// </summary>
internal sealed class AlignedZipWriter(Stream output)
{
    private const int Alignment = 64;
    private const int LocalHeaderSize = 30;
    private const ushort DosDate1980 = (1 << 5) | 1;

    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset)> records = [];
    private long position;

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (position + data.Length + Alignment * 2 > uint.MaxValue)
            throw new NotSupportedException("the archive would exceed 4 GiB, which needs zip64");

        var unpadded = position + LocalHeaderSize + nameBytes.Length + 4;
        var padding = (int)((Alignment - unpadded % Alignment) % Alignment);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(data);

        Span<byte> header = stackalloc byte[LocalHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034B50);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 20);          // version needed
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);           // flags
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0);           // stored
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);          // time
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(4 + padding));

        var offset = (uint)position;
        Write(header);
        Write(nameBytes);
        Span<byte> extra = stackalloc byte[4 + padding];
        extra.Fill((byte)'Z');
        extra[0] = (byte)'F';
        extra[1] = (byte)'B';
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)padding);
        Write(extra);
        Write(data);
        records.Add((nameBytes, crc, (uint)data.Length, offset));
    }

    /// <summary>Writes the central directory; the archive is complete afterwards.</summary>
    public void Finish()
    {
        var directoryStart = position;
        Span<byte> entry = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in records)
        {
            entry.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(entry, 0x02014B50);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[4..], 20);       // made by
            BinaryPrimitives.WriteUInt16LittleEndian(entry[6..], 20);       // needed
            BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[10..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[12..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[14..], DosDate1980);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[28..], (ushort)name.Length);
            // extra, comment, disk, internal and external attributes stay 0
            BinaryPrimitives.WriteUInt32LittleEndian(entry[42..], offset);
            Write(entry);
            Write(name);
        }
        var directorySize = position - directoryStart;
        if (records.Count > ushort.MaxValue || position > uint.MaxValue)
            throw new NotSupportedException("the archive would need zip64");

        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)records.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)records.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)directoryStart);
        Write(end);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        position += bytes.Length;
    }
}
