using System.IO.Hashing;

namespace Dsl.Runtime.Logging;

/// <summary>The masked CRC-32C (Castagnoli) that TFRecord files store; the CRC itself is System.IO.Hashing's.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>TensorFlow masks CRCs so that a CRC of data containing CRCs stays well distributed.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }
}
