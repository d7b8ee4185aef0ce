using System.Buffers.Binary;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A numpy dtype as pickled by <c>numpy.dtype(code, False, True)</c> plus a BUILD state that sets the byte
/// order. Training scripts often store accuracies as numpy scalars, which this turns into plain numbers.
/// </summary>
internal sealed class NumpyDType(string code)
{
    public string Code { get; } = code;
    public bool BigEndian { get; set; }

    /// <summary>The value of <c>numpy.core.multiarray.scalar(dtype, raw bytes)</c>: double, long, ulong or bool.</summary>
    public object? Decode(byte[] raw, Func<string, Exception> fail)
    {
        var size = Code.Length > 1 && int.TryParse(Code.AsSpan(1), out var n) ? n : -1;
        Exception Unsupported() => fail($"numpy scalars of dtype {PickleFormat.Describe(Code)} are not supported");
        if (size is not (1 or 2 or 4 or 8)) throw Unsupported();
        if (size != raw.Length) throw fail($"numpy scalar of dtype {PickleFormat.Describe(Code)} has {raw.Length} bytes");
        Span<byte> ordered = stackalloc byte[sizeof(long)];
        ordered = ordered[..size];
        raw.CopyTo(ordered);
        if (BigEndian != !BitConverter.IsLittleEndian) ordered.Reverse();
        return Code[0] switch
        {
            'f' when size == 8 => BitConverter.ToDouble(ordered),
            'f' when size == 4 => (double)BitConverter.ToSingle(ordered),
            'f' when size == 2 => (double)BitConverter.ToHalf(ordered),
            'i' when size is 1 or 2 or 4 or 8 => ReadSigned(ordered),
            'u' when size is 1 or 2 or 4 or 8 => ReadUnsigned(ordered),
            'b' when size == 1 => ordered[0] != 0,
            _ => throw Unsupported(),
        };
    }

    private static object ReadSigned(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        1 => (long)(sbyte)bytes[0],
        2 => (long)BinaryPrimitives.ReadInt16LittleEndian(bytes),
        4 => (long)BinaryPrimitives.ReadInt32LittleEndian(bytes),
        _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
    };

    private static object ReadUnsigned(ReadOnlySpan<byte> bytes)
    {
        var value = bytes.Length switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
        return value <= long.MaxValue ? (long)value : value;
    }
}
