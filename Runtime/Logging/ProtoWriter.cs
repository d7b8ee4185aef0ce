using System.Buffers.Binary;
using System.Text;

namespace Dsl.Runtime.Logging;

/// <summary>The few protobuf wire-format primitives the Event messages need.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream buffer = new();

    public ProtoWriter Double(int field, double value) => Fixed(field, 1, BitConverter.DoubleToUInt64Bits(value), 8);

    public ProtoWriter Float(int field, float value) => Fixed(field, 5, BitConverter.SingleToUInt32Bits(value), 4);

    public ProtoWriter Int64(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        buffer.Write(value);
        return this;
    }

    public byte[] ToArray() => buffer.ToArray();

    // Wire types 1 and 5: the value's first size bytes, little-endian.
    private ProtoWriter Fixed(int field, int wireType, ulong bits, int size)
    {
        Tag(field, wireType);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, bits);
        buffer.Write(bytes[..size]);
        return this;
    }

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}
