using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A pickle virtual machine that only builds data. Globals are looked up in an allow-list and calls
/// (REDUCE, NEWOBJ) are handed to <see cref="PickleCalls"/>, which knows a fixed set of constructors;
/// no Python code is ever imported or run, so a hostile file can at worst be rejected.
/// </summary>
internal sealed class PickleReader
{
    private static readonly object Mark = new();

    private readonly byte[] data;
    private readonly string filePath;
    private readonly PickleCalls calls;
    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];
    private int position;

    public PickleReader(byte[] data, string filePath, PickleCalls calls)
    {
        this.data = data;
        this.filePath = filePath;
        this.calls = calls;
    }

    public object? Load()
    {
        while (true)
        {
            if (position >= data.Length) throw Fail("the pickle ends without a STOP opcode (truncated?)");
            var at = position;
            var op = data[position++];
            switch (op)
            {
                case 0x80: ReadByte(); break;                                   // PROTO
                case 0x95: ReadBytes(8); break;                                 // FRAME: framing is only a hint
                case (byte)'.': return Finish(Pop(at));                         // STOP
                case (byte)'(': marks.Push(stack.Count); break;                 // MARK
                case (byte)'0': Pop(at); break;                                 // POP
                case (byte)'1': PopMark(at); break;                             // POP_MARK
                case (byte)'2': Push(Peek(at)); break;                          // DUP
                case (byte)'N': Push(null); break;                              // NONE
                case 0x88: Push(true); break;                                   // NEWTRUE
                case 0x89: Push(false); break;                                  // NEWFALSE
                case (byte)'K': Push((long)ReadByte()); break;                  // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;  // BININT
                case 0x8a: Push(ReadLong(ReadByte())); break;                   // LONG1
                case 0x8b: Push(ReadLong(ReadLength(4, at))); break;            // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
                case (byte)'X': Push(ReadUtf8(ReadLength(4, at))); break;       // BINUNICODE
                case 0x8c: Push(ReadUtf8(ReadByte())); break;                   // SHORT_BINUNICODE
                case 0x8d: Push(ReadUtf8(ReadLength(8, at))); break;            // BINUNICODE8
                case (byte)'C': Push(ReadBytes(ReadByte()).ToArray()); break;   // SHORT_BINBYTES
                case (byte)'B': Push(ReadBytes(ReadLength(4, at)).ToArray()); break; // BINBYTES
                case 0x8e: Push(ReadBytes(ReadLength(8, at)).ToArray()); break; // BINBYTES8
                case (byte)'}': Push(new PickleDict()); break;                  // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break;               // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break;            // EMPTY_TUPLE
                case 0x8f: Push(new PickleSet([], frozen: false)); break;           // EMPTY_SET
                case (byte)'t': Push(PopMark(at).ToArray()); break;             // TUPLE
                case 0x85: Push(new[] { Pop(at) }); break;                      // TUPLE1
                case 0x86: { var b = Pop(at); var a = Pop(at); Push(new[] { a, b }); break; }          // TUPLE2
                case 0x87: { var c = Pop(at); var b = Pop(at); var a = Pop(at); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'l': Push(PopMark(at)); break;                       // LIST
                case (byte)'d': Push(ToDict(PopMark(at), new PickleDict(), at)); break; // DICT
                case 0x91: Push(new PickleSet(PopMark(at), frozen: true)); break; // FROZENSET
                case (byte)'a': { var item = Pop(at); As<List<object?>>(Peek(at), "APPEND", at).Add(item); break; }
                case (byte)'e': { var items = PopMark(at); As<List<object?>>(Peek(at), "APPENDS", at).AddRange(items); break; }
                case 0x90: { var items = PopMark(at); As<PickleSet>(Peek(at), "ADDITEMS", at).MutableItems.AddRange(items); break; }
                case (byte)'s': { var value = Pop(at); var key = Pop(at); calls.SetItem(As<PickleDict>(Peek(at), "SETITEM", at), key, value, at); break; }
                case (byte)'u': { var items = PopMark(at); ToDict(items, As<PickleDict>(Peek(at), "SETITEMS", at), at); break; }
                case (byte)'q': memo[ReadByte()] = Peek(at); break;             // BINPUT
                case (byte)'r': memo[ReadLength(4, at)] = Peek(at); break;      // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(at); break;                  // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte(), at)); break;            // BINGET
                case (byte)'j': Push(Recall(ReadLength(4, at), at)); break;     // LONG_BINGET
                case (byte)'c': Push(Resolve(ReadLine(at), ReadLine(at), at)); break; // GLOBAL
                case 0x93: { var name = As<string>(Pop(at), "STACK_GLOBAL", at); var module = As<string>(Pop(at), "STACK_GLOBAL", at); Push(Resolve(module, name, at)); break; }
                case (byte)'R': { var args = AsTuple(Pop(at), "REDUCE", at); var callable = Pop(at); Push(Call(callable, args, at)); break; }
                case 0x81: { var args = AsTuple(Pop(at), "NEWOBJ", at); var type = Pop(at); Push(Call(type, args, at)); break; }
                case 0x92:                                                      // NEWOBJ_EX
                {
                    var kwargs = As<PickleDict>(Pop(at), "NEWOBJ_EX", at);
                    var args = AsTuple(Pop(at), "NEWOBJ_EX", at);
                    var type = Pop(at);
                    if (kwargs.Count > 0) throw Fail($"keyword arguments for {PickleFormat.Describe(type)} are not supported", at);
                    Push(Call(type, args, at));
                    break;
                }
                case (byte)'b': { var state = Pop(at); Build(Peek(at), state, at); break; } // BUILD
                case (byte)'Q': Push(calls.PersistentLoad(Pop(at), at)); break;  // BINPERSID
                default:
                    throw Fail($"unsupported pickle opcode 0x{op:X2} ('{(op is >= 32 and < 127 ? (char)op : '?')}')", at);
            }
        }
    }

    private object? Finish(object? root)
    {
        var problem = PickleNesting.Problem(root);
        return problem is null ? root : throw Fail(problem);
    }

    private object? Resolve(string module, string name, int at)
    {
        var global = new PickleGlobal(module, name);
        if (!calls.IsAllowed(global))
            throw Fail($"refuses the Python global '{global}': only tensors, storages and plain containers are loaded (nothing was executed)", at);
        return global;
    }

    private object? Call(object? callable, object?[] args, int at)
    {
        if (callable is not PickleGlobal global)
            throw Fail($"cannot call {PickleFormat.Describe(callable)}: only allow-listed globals can be called", at);
        return calls.Call(global, args, at);
    }

    private void Build(object? target, object? state, int at)
    {
        if (target is PickleDict dict) dict.Attributes = state;
        else calls.Build(target, state, at);
    }

    private PickleDict ToDict(List<object?> items, PickleDict into, int at)
    {
        if (items.Count % 2 != 0) throw Fail("a dict has an odd number of keys and values", at);
        for (var i = 0; i < items.Count; i += 2) calls.SetItem(into, items[i], items[i + 1], at);
        return into;
    }

    private object? Recall(long key, int at) =>
        memo.TryGetValue(key, out var value) ? value : throw Fail($"memo entry {key} is read before it is written", at);

    private void Push(object? value) => stack.Add(value);

    private object? Peek(int at)
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() == stack.Count))
            throw Fail("the pickle stack is empty", at);
        return stack[^1];
    }

    private object? Pop(int at)
    {
        var value = Peek(at);
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private List<object?> PopMark(int at)
    {
        if (marks.Count == 0) throw Fail("an opcode needs a MARK that is not there", at);
        var start = marks.Pop();
        var items = stack.GetRange(start, stack.Count - start);
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private T As<T>(object? value, string opcode, int at) =>
        value is T typed ? typed : throw Fail($"{opcode} expects a {typeof(T).Name}, found {PickleFormat.Describe(value)}", at);

    private object?[] AsTuple(object? value, string opcode, int at) => value switch
    {
        object?[] tuple => tuple,
        _ => throw Fail($"{opcode} expects an argument tuple, found {PickleFormat.Describe(value)}", at),
    };

    private byte ReadByte()
    {
        if (position >= data.Length) throw Fail("the pickle data ends early (truncated?)");
        return data[position++];
    }

    private ReadOnlySpan<byte> ReadBytes(long count)
    {
        if (count < 0 || count > data.Length - position) throw Fail($"the pickle data ends early: {count} bytes needed at byte {position} (truncated?)");
        var span = data.AsSpan(position, (int)count);
        position += (int)count;
        return span;
    }

    private long ReadLength(int width, int at)
    {
        var bytes = ReadBytes(width);
        var length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length < 0) throw Fail("a length field is out of range", at);
        return length;
    }

    private string ReadUtf8(long count) => Encoding.UTF8.GetString(ReadBytes(count));

    private object ReadLong(long count)
    {
        var bytes = ReadBytes(count);
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    private string ReadLine(int at)
    {
        var end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0) throw Fail("a GLOBAL name is not terminated (truncated?)", at);
        var text = Encoding.UTF8.GetString(data, position, end - position);
        position = end + 1;
        return text;
    }

    private CheckpointException Fail(string problem, int? at = null) =>
        new(filePath, at is null ? problem : $"{problem} (pickle byte {at})");
}
