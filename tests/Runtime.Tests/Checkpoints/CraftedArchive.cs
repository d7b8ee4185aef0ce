using System.IO.Compression;
using System.Text;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Builds pickle bytes opcode by opcode and wraps them in a torch.save-shaped zip, to test hostile or broken files.</summary>
internal sealed class CraftedPickle
{
    private readonly List<byte> bytes = [0x80, 0x02];

    public CraftedPickle Op(char opcode) { bytes.Add((byte)opcode); return this; }
    public CraftedPickle Op(byte opcode) { bytes.Add(opcode); return this; }
    public CraftedPickle Global(string module, string name) { Op('c'); bytes.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); return this; }

    public CraftedPickle String(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Op('X');
        bytes.AddRange(BitConverter.GetBytes(utf8.Length));
        bytes.AddRange(utf8);
        return this;
    }

    public CraftedPickle Int(int value) { Op('J'); bytes.AddRange(BitConverter.GetBytes(value)); return this; }

    /// <summary>BININT where the value fits, LONG1 of eight bytes otherwise.</summary>
    public CraftedPickle Int(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue) return Int((int)value);
        Op(0x8a);
        bytes.Add(8);
        bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    /// <summary>BINBYTES: a Python bytes object.</summary>
    public CraftedPickle Bytes(byte[] data)
    {
        Op('B');
        bytes.AddRange(BitConverter.GetBytes(data.Length));
        bytes.AddRange(data);
        return this;
    }

    /// <summary>The same opcodes <paramref name="times"/> times over.</summary>
    public CraftedPickle Repeat(int times, Func<CraftedPickle, CraftedPickle> ops) => Repeat(times, (p, _) => ops(p));

    /// <summary>Opcodes for each of 0 .. <paramref name="times"/> - 1.</summary>
    public CraftedPickle Repeat(int times, Func<CraftedPickle, int, CraftedPickle> ops)
    {
        for (var i = 0; i < times; i++) ops(this, i);
        return this;
    }

    /// <summary>Pushes memo entry <paramref name="index"/> (BINGET or LONG_BINGET).</summary>
    public CraftedPickle Get(int index)
    {
        if (index < 256) return Op('h').Op((byte)index);
        Op('j');
        bytes.AddRange(BitConverter.GetBytes(index));
        return this;
    }

    /// <summary>Pushes a tuple of integers.</summary>
    public CraftedPickle IntTuple(params long[] values)
    {
        Op('(');
        foreach (var v in values) Int(v);
        return Op('t');
    }

    /// <summary>_rebuild_tensor_v2 over storage 'key' of the given storage class.</summary>
    public CraftedPickle Tensor(string storageType, string key, long storageElements, int offset, long[] size, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Op('(');
        Op('(').String("storage").Global("torch", storageType).String(key).String("cpu").Int(storageElements).Op('t').Op('Q');
        Int(offset).IntTuple(size).IntTuple(stride).Op(0x89);
        Global("collections", "OrderedDict").Op(')').Op('R');
        return Op('t').Op('R');
    }

    public byte[] Stop() => [.. bytes, (byte)'.'];
}

internal static class CraftedArchive
{
    /// <summary>Writes a zip with archive/data.pkl and the given storage records (stored, uncompressed).</summary>
    public static void Write(string path, byte[] pickle, params (string Key, byte[] Data)[] storages) =>
        Write(path, pickle, CompressionLevel.NoCompression, storages.Select(s => (s.Key, s.Data.LongLength, (Action<Stream>)(o => o.Write(s.Data)))).ToArray());

    /// <summary>Writes a zip whose storage records are written by callbacks (to make large ones without holding them) and compressed at the given level.</summary>
    public static void Write(string path, byte[] pickle, CompressionLevel level, params (string Key, long Length, Action<Stream> WriteData)[] storages)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Add("archive/data.pkl", CompressionLevel.NoCompression, o => o.Write(pickle));
        foreach (var (key, _, write) in storages) Add($"archive/data/{key}", level, write);
        Add("archive/version", CompressionLevel.NoCompression, o => o.Write("3\n"u8));

        void Add(string name, CompressionLevel entryLevel, Action<Stream> write)
        {
            using var stream = zip.CreateEntry(name, entryLevel).Open();
            write(stream);
        }
    }
}
