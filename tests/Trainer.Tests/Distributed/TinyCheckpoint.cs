using System.Text;
using Dsl.Runtime;
using Dsl.Runtime.Nn;

namespace Dsl.Trainer.Tests.Distributed;

/// <summary>
/// A minimal state-dict file for the multi-process checks: written to a temporary name and renamed, so a
/// reader sees either the previous complete file or the new complete one.
/// </summary>
public static class TinyCheckpoint
{
    private const string Magic = "DSLTINY1";

    public static void Write(Module module, string path)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            var entries = module.StateDict();
            writer.Write(Magic);
            writer.Write(entries.Count);
            foreach (var (name, tensor) in entries)
            {
                writer.Write(name);
                writer.Write((int)tensor.DType);
                var shape = tensor.Shape;
                writer.Write(shape.Length);
                foreach (var dim in shape) writer.Write(dim);
                var bytes = tensor.ToBytes();
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
            writer.Write(Magic);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads every tensor; a truncated or corrupt file is an exception naming the file.</summary>
    public static List<KeyValuePair<string, Tensor>> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException($"{path} is not a tiny checkpoint");
            var count = reader.ReadInt32();
            var result = new List<KeyValuePair<string, Tensor>>();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (DType)reader.ReadInt32();
                var shape = new long[reader.ReadInt32()];
                for (var d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
                var bytes = reader.ReadBytes(reader.ReadInt32());
                result.Add(new(name, Tensor.FromBytes(bytes, dtype, shape)));
            }
            if (reader.ReadString() != Magic || stream.Position != stream.Length)
                throw new InvalidDataException($"{path} has a damaged end");
            return result;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path} is truncated", e);
        }
    }

    /// <summary>The sum of every floating-point parameter, printed by the writer so a reader can check what it loaded.</summary>
    public static double Checksum(IEnumerable<KeyValuePair<string, Tensor>> entries)
    {
        var total = 0.0;
        foreach (var (_, tensor) in entries)
            if (tensor.DType == DType.Float32)
                foreach (var value in tensor.ToArray<float>()) total += value;
        return total;
    }
}
