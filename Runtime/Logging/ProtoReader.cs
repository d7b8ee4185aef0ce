using System.Buffers.Binary;
using System.Text;

namespace Dsl.Runtime.Logging;

/// <summary>Walks the fields of a protobuf message (enough to read Event records back).</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public int Field { get; private set; }
    public int WireType { get; private set; }

    public bool Next()
    {
        if (position >= data.Length) return false;
        var tag = Varint();
        (Field, WireType) = ((int)(tag >> 3), (int)(tag & 7));
        return true;
    }

    public ulong Varint()
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= data.Length || shift > 63) throw new InvalidDataException("malformed varint");
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
    }

    public double Double() { var v = BinaryPrimitives.ReadDoubleLittleEndian(Take(8)); return v; }
    public float Float() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    public ReadOnlySpan<byte> Bytes() => Take((int)Varint());
    public string String() => Encoding.UTF8.GetString(Bytes());

    public void Skip()
    {
        switch (WireType)
        {
            case 0: Varint(); break;
            case 1: Take(8); break;
            case 2: Bytes(); break;
            case 5: Take(4); break;
            default: throw new InvalidDataException($"unsupported wire type {WireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (position + count > data.Length) throw new InvalidDataException("message is cut off");
        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }
}
