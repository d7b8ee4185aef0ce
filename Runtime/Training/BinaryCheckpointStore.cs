using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Dsl.Runtime.Training;

/// <summary>
/// A compact checkpoint file: a magic, a JSON header (epoch, architecture, best accuracy, seed, random
/// state, tensor table) and the raw tensor bytes. Written to a temporary file, flushed to disk and renamed
/// over the target, so a failed or interrupted save never damages the previous checkpoint.
/// </summary>
public sealed class BinaryCheckpointStore : ICheckpointStore
{
    private static readonly byte[] Magic = "DSLCKPT1"u8.ToArray();

    private sealed record TensorEntry(string Name, int DType, long[] Shape, long Bytes);

    private sealed record Header(int Epoch, string Architecture, double BestTop1, ulong Seed, string RngState,
        TensorEntry[] Model, TensorEntry?[] Momentum);

    public void Save(TrainingState state, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        var modelBytes = state.Model.Select(e => (Entry: Describe(e.Key, e.Value, out var bytes), Bytes: bytes)).ToArray();
        var momentumBytes = state.Momentum.Select((t, i) => t is null ? (Entry: (TensorEntry?)null, Bytes: Array.Empty<byte>())
            : (Entry: Describe($"momentum.{i}", t, out var bytes), Bytes: bytes)).ToArray();
        var header = new Header(state.Epoch, state.Architecture, state.BestTop1, state.Seed, Convert.ToBase64String(state.RngState),
            modelBytes.Select(m => m.Entry).ToArray(), momentumBytes.Select(m => m.Entry).ToArray());
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Magic);
                Span<byte> length = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, json.Length);
                stream.Write(length);
                stream.Write(json);
                foreach (var (_, bytes) in modelBytes) stream.Write(bytes);
                foreach (var (_, bytes) in momentumBytes) stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new IOException($"cannot save checkpoint '{path}': {e.Message} (the previous checkpoint, if any, is unchanged)", e);
        }
    }

    public TrainingState Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist", path);
        using var stream = File.OpenRead(path);
        var magic = new byte[Magic.Length];
        if (stream.ReadAtLeast(magic, magic.Length, false) < magic.Length || !magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"'{path}' is not a checkpoint written by this trainer");
        var lengthBytes = new byte[4];
        stream.ReadExactly(lengthBytes);
        var json = new byte[BinaryPrimitives.ReadInt32LittleEndian(lengthBytes)];
        stream.ReadExactly(json);
        var header = JsonSerializer.Deserialize<Header>(json) ?? throw new InvalidDataException($"'{path}': empty header");
        var model = new List<KeyValuePair<string, Tensor>>();
        var momentum = new List<Tensor?>();
        try
        {
            foreach (var entry in header.Model) model.Add(new(entry.Name, ReadTensor(stream, entry, path)));
            foreach (var entry in header.Momentum) momentum.Add(entry is null ? null : ReadTensor(stream, entry, path));
        }
        catch
        {
            foreach (var (_, t) in model) t.Dispose();
            foreach (var t in momentum) t?.Dispose();
            throw;
        }
        return new TrainingState(header.Epoch, header.Architecture, model, momentum, header.BestTop1,
            Convert.FromBase64String(header.RngState), header.Seed, ownsTensors: true);
    }

    private static TensorEntry Describe(string name, Tensor tensor, out byte[] bytes)
    {
        using var cpu = TensorScope.Detach(tensor.To(Device.Cpu).Contiguous());
        bytes = cpu.ToBytes();
        return new TensorEntry(name, (int)tensor.DType, tensor.Shape, bytes.Length);
    }

    private static Tensor ReadTensor(Stream stream, TensorEntry entry, string path)
    {
        var bytes = new byte[entry.Bytes];
        if (stream.ReadAtLeast(bytes, bytes.Length, false) < bytes.Length)
            throw new InvalidDataException($"checkpoint '{path}' is truncated inside tensor '{entry.Name}'");
        return TensorScope.Detach(Tensor.FromBytes(bytes, (DType)entry.DType, entry.Shape));
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
