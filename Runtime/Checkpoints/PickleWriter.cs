using System.Buffers.Binary;
using System.Text;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Pickles plain values with protocol 2, the way torch.save does: tensors become
/// <c>torch._utils._rebuild_tensor_v2</c> calls over persistent storage ids, and each distinct
/// tensor gets its own storage record (collected in <see cref="Storages"/>).
/// Supported values: null, bool, integers, float/double, string, <see cref="PickleDict"/>,
/// <c>IList&lt;object?&gt;</c> (a list), <c>object?[]</c> (a tuple), <see cref="Tensor"/>.
/// </summary>
internal sealed class PickleWriter
{
    private static readonly PickleGlobal RebuildTensorV2 = TorchGlobals.RebuildTensorV2;
    private static readonly PickleGlobal OrderedDict = TorchGlobals.OrderedDict;

    private readonly MemoryStream output = new();
    private readonly Dictionary<PickleGlobal, int> globals = [];
    private readonly Dictionary<Tensor, int> storageKeys = new(ReferenceEqualityComparer.Instance);
    private readonly List<Tensor> storages = [];
    private int memoCount;

    /// <summary>The tensors to store, in storage-key order ("0", "1", ...).</summary>
    public IReadOnlyList<Tensor> Storages => storages;

    public byte[] Write(object? root)
    {
        output.WriteByte(0x80);
        output.WriteByte(2);
        Value(root);
        output.WriteByte((byte)'.');
        return output.ToArray();
    }

    private void Value(object? value)
    {
        switch (value)
        {
            case null: Op('N'); break;
            case bool b: Op(b ? (byte)0x88 : (byte)0x89); break;
            case int i: Integer(i); break;
            case long l: Integer(l); break;
            case ulong u when u <= long.MaxValue: Integer((long)u); break;
            case ulong u: LargeUnsigned(u); break;
            case float f: Float(f); break;
            case double d: Float(d); break;
            case string s: Text(s); break;
            case Tensor t: TensorValue(t); break;
            case PickleDict dict: Dict(dict); break;
            case object?[] tuple: Tuple(tuple); break;
            case System.Collections.IList list: List(list); break;
            default: throw new NotSupportedException($"values of type {value.GetType().Name} cannot be written to a checkpoint");
        }
    }

    private void Integer(long value)
    {
        switch (value)
        {
            case >= 0 and <= byte.MaxValue: Op('K'); output.WriteByte((byte)value); break;
            case >= 0 and <= ushort.MaxValue: Op('M'); WriteUInt16((ushort)value); break;
            case >= int.MinValue and <= int.MaxValue: Op('J'); WriteInt32((int)value); break;
            default:
                Op(0x8A);
                output.WriteByte(8);
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
                output.Write(bytes);
                break;
        }
    }

    // LONG1 is two's complement, so values above long.MaxValue need a ninth, zero byte.
    private void LargeUnsigned(ulong value)
    {
        Op(0x8A);
        output.WriteByte(9);
        Span<byte> bytes = stackalloc byte[9];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        bytes[8] = 0;
        output.Write(bytes);
    }

    private void Float(double value)
    {
        Op('G');
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        output.Write(bytes);
    }

    private void Text(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Op('X');
        WriteInt32(bytes.Length);
        output.Write(bytes);
    }

    private void Tuple(object?[] items)
    {
        switch (items.Length)
        {
            case 0: Op(')'); return;
            case 1: Value(items[0]); Op(0x85); return;
            case 2: Value(items[0]); Value(items[1]); Op(0x86); return;
            case 3: Value(items[0]); Value(items[1]); Value(items[2]); Op(0x87); return;
        }
        Op('(');
        foreach (var item in items) Value(item);
        Op('t');
    }

    private void List(System.Collections.IList items)
    {
        Op(']');
        if (items.Count == 0) return;
        Op('(');
        foreach (var item in items) Value(item);
        Op('e');
    }

    private void Dict(PickleDict dict)
    {
        if (dict.IsOrdered)
        {
            Global(OrderedDict);
            Op(')');
            Op('R');
        }
        else Op('}');
        if (dict.Count == 0) return;
        Op('(');
        foreach (var (key, value) in dict)
        {
            Value(key);
            Value(value);
        }
        Op('u');
    }

    private void TensorValue(Tensor tensor)
    {
        if (!storageKeys.TryGetValue(tensor, out var key))
        {
            key = storages.Count;
            storageKeys[tensor] = key;
            storages.Add(tensor);
        }
        var shape = tensor.shape;
        // Storages are written contiguous (row-major), whatever the tensor's own layout.
        var strides = new long[shape.Length];
        long stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(1, shape[i]);
        }

        Global(RebuildTensorV2);
        Op('(');
        PersistentId(StorageTypes.For(tensor.dtype), key.ToString(System.Globalization.CultureInfo.InvariantCulture), tensor.numel());
        Integer(0);
        Value(shape.Cast<object?>().ToArray());
        Value(strides.Cast<object?>().ToArray());
        Op(0x89);
        Global(OrderedDict);
        Op(')');
        Op('R');
        Op('t');
        Op('R');
    }

    /// <summary>('storage', storage class, key, location, element count), loaded through BINPERSID.</summary>
    private void PersistentId(PickleGlobal storageType, string key, long elementCount)
    {
        Op('(');
        Text("storage");
        Global(storageType);
        Text(key);
        Text("cpu");
        Integer(elementCount);
        Op('t');
        Op('Q');
    }

    private void Global(PickleGlobal global)
    {
        if (globals.TryGetValue(global, out var memo))
        {
            Op('j');
            WriteInt32(memo);
            return;
        }
        Op('c');
        output.Write(Encoding.ASCII.GetBytes($"{global.Module}\n{global.Name}\n"));
        memo = memoCount++;
        globals[global] = memo;
        Op('r');
        WriteInt32(memo);
    }

    private void Op(char opcode) => output.WriteByte((byte)opcode);
    private void Op(byte opcode) => output.WriteByte(opcode);

    private void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        output.Write(bytes);
    }

    private void WriteUInt16(ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        output.Write(bytes);
    }
}
