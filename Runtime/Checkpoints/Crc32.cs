using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// The zip CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), which readers check on every record.
/// Slicing-by-8 tables process eight bytes per step, since checkpoints run to hundreds of megabytes.
/// </summary>
internal static class Crc32
{
    private static readonly uint[][] Tables = BuildTables();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var (t0, t1, t2, t3, t4, t5, t6, t7) = (Tables[0], Tables[1], Tables[2], Tables[3], Tables[4], Tables[5], Tables[6], Tables[7]);
        var crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t7[low & 0xFF] ^ t6[(low >> 8) & 0xFF] ^ t5[(low >> 16) & 0xFF] ^ t4[low >> 24]
                ^ t3[high & 0xFF] ^ t2[(high >> 8) & 0xFF] ^ t1[(high >> 16) & 0xFF] ^ t0[high >> 24];
            data = data[8..];
        }
        foreach (var b in data) crc = t0[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            tables[0][i] = c;
        }
        for (var t = 1; t < 8; t++)
        {
            tables[t] = new uint[256];
            for (var i = 0; i < 256; i++) tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][tables[t - 1][i] & 0xFF];
        }
        return tables;
    }
}
