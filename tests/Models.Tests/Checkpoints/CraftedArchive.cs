using System.IO.Compression;
using System.Text;

namespace Dsl.Models.Tests.Checkpoints;

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

    /// <summary>Pushes a tuple of small integers.</summary>
    public CraftedPickle IntTuple(params int[] values)
    {
        Op('(');
        foreach (var v in values) Int(v);
        return Op('t');
    }

    /// <summary>_rebuild_tensor_v2 over storage 'key' of the given storage class.</summary>
    public CraftedPickle Tensor(string storageType, string key, int storageElements, int offset, int[] size, int[] stride)
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
    public static void Write(string path, byte[] pickle, params (string Key, byte[] Data)[] storages)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Add(zip, "archive/data.pkl", pickle);
        foreach (var (key, data) in storages) Add(zip, $"archive/data/{key}", data);
        Add(zip, "archive/version", "3\n"u8.ToArray());

        static void Add(ZipArchive zip, string name, byte[] data)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(data);
        }
    }
}
