using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsl.Runtime.Tests.Distributed;

/// <summary>
/// A minimal state-dict file for the multi-process checks: written to a temporary name, flushed and renamed, so a
/// reader sees either the previous complete file or the new complete one.
/// </summary>
public static class TinyCheckpoint
{
    private const string Magic = "DSLTINY2";

    public static void Write(nn.Module module, int step, string path)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                var entries = module.state_dict();
                writer.Write(Magic);
                writer.Write(step);
                writer.Write(entries.Count);
                foreach (var (name, tensor) in entries)
                {
                    writer.Write(name);
                    writer.Write((int)tensor.dtype);
                    writer.Write(tensor.ndim);
                    foreach (var dim in tensor.shape) writer.Write(dim);
                    var bytes = tensor.contiguous().bytes.ToArray();
                    writer.Write(bytes.Length);
                    writer.Write(bytes);
                }
                writer.Write(Magic);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The largest absolute difference between the float32 tensors of two files, which must hold the same entries.</summary>
    public static double LargestDifference(string expectedPath, string actualPath)
    {
        var (expected, actual) = (Read(expectedPath).Entries, Read(actualPath).Entries);
        if (!expected.Keys.Order().SequenceEqual(actual.Keys.Order()))
            throw new InvalidDataException($"{expectedPath} and {actualPath} hold different entries");
        var worst = 0.0;
        foreach (var (name, tensor) in expected.Where(e => e.Value.dtype == ScalarType.Float32))
            worst = Math.Max(worst, (tensor - actual[name]).abs().max().item<float>());
        return worst;
    }

    /// <summary>The step and every tensor; a truncated or corrupt file is an exception naming the file.</summary>
    public static (int Step, Dictionary<string, Tensor> Entries) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException($"{path} is not a tiny checkpoint");
            var step = reader.ReadInt32();
            var count = reader.ReadInt32();
            var entries = new Dictionary<string, Tensor>();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (ScalarType)reader.ReadInt32();
                var shape = new long[reader.ReadInt64()];
                for (var d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
                var tensor = empty(shape, dtype);
                tensor.bytes = reader.ReadBytes(reader.ReadInt32());
                entries[name] = tensor;
            }
            if (reader.ReadString() != Magic || stream.Position != stream.Length)
                throw new InvalidDataException($"{path} has a damaged end");
            return (step, entries);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path} is truncated", e);
        }
    }

    /// <summary>The sum of every float32 entry, printed by the writer so a reader can check what it loaded.</summary>
    public static double Checksum(IEnumerable<KeyValuePair<string, Tensor>> entries) =>
        entries.Where(e => e.Value.dtype == ScalarType.Float32).Sum(e => e.Value.to(ScalarType.Float64).sum().item<double>());
}
