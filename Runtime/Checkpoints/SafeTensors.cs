using System.Buffers.Binary;
using System.Text.Json;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each name to
/// {dtype, shape, data_offsets} (plus an optional "__metadata__" of strings), then the raw row-major data.
/// Reading validates every field, because the format exists to be safe on untrusted files.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L << 20;

    private static readonly (string Code, ScalarType DType)[] Codes =
    [
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    /// <summary>Reads every tensor and the metadata; the content owns the tensors (belonging to no dispose scope), so dispose it.</summary>
    public static SafeTensorsContent Read(string path)
    {
        using var file = OpenRead(path);
        var fileLength = file.Length;
        if (fileLength < 8) throw new CheckpointException(path, $"is {fileLength} bytes long, too short for a safetensors header");

        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength < 2 || headerLength > (ulong)MaxHeaderBytes || headerLength > (ulong)(fileLength - 8))
            throw new CheckpointException(path, $"declares a {headerLength}-byte header but the file holds {fileLength - 8} bytes after the length field (truncated or not safetensors)");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var entries = ParseHeader(header, fileLength - dataStart, path, out var metadata);

        var tensors = new List<KeyValuePair<string, Tensor>>(entries.Count);
        var completed = false;
        try
        {
            foreach (var (name, dtype, shape, begin, end) in entries)
            {
                var bytes = new byte[end - begin];
                file.Position = dataStart + begin;
                file.ReadExactly(bytes);
                var tensor = TensorFromFile.Build(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}]", () => torch.empty(shape, dtype));
                tensors.Add(new(name, tensor));
                if (bytes.Length > 0) tensor.bytes = bytes;
            }
            completed = true;
        }
        catch (IOException e)
        {
            throw new CheckpointException(path, $"tensor data cannot be read: {e.Message}", e);
        }
        finally
        {
            if (!completed)
                foreach (var (_, tensor) in tensors) tensor.Dispose();
        }
        return new SafeTensorsContent(tensors, metadata);
    }

    /// <summary>Writes the tensors (contiguous, in the given order) atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var duplicate = list.GroupBy(e => e.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new CheckpointException(path, $"tensor name '{duplicate.Key}' is given twice");
        if (list.Any(e => e.Key == MetadataKey)) throw new CheckpointException(path, $"'{MetadataKey}' cannot be a tensor name");

        var header = BuildHeader(list, metadata, path);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in list)
            {
                using var scope = torch.NewDisposeScope();
                stream.Write(TensorBytes.Of(tensor));
            }
        });
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata, string path)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                var code = Codes.FirstOrDefault(c => c.DType == tensor.dtype).Code
                           ?? throw new CheckpointException(path, $"tensor '{name}' has element type {tensor.dtype}, which safetensors cannot hold");
                var size = tensor.numel() * tensor.dtype.ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", code);
                json.WriteStartArray("shape");
                foreach (var dim in tensor.shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // Spaces pad the header so the data starts 8-byte aligned, as the reference writer does.
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static List<(string Name, ScalarType DType, long[] Shape, long Begin, long End)> ParseHeader(
        byte[] header, long dataLength, string path, out IReadOnlyDictionary<string, string> metadata)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"the safetensors header is not valid JSON: {e.Message}", e);
        }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(path, "the safetensors header is not a JSON object");

        var result = new List<(string, ScalarType, long[], long, long)>();
        var names = new HashSet<string>();
        var meta = new Dictionary<string, string>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!names.Add(property.Name)) throw new CheckpointException(path, $"'{property.Name}' appears twice in the header");
            if (property.Name == MetadataKey)
            {
                if (property.Value.ValueKind != JsonValueKind.Object) throw new CheckpointException(path, "__metadata__ is not an object");
                foreach (var item in property.Value.EnumerateObject())
                    meta[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()!
                        : throw new CheckpointException(path, $"__metadata__ value '{item.Name}' is not a string");
                continue;
            }
            result.Add(ParseEntry(property, dataLength, path));
        }

        // The data must be covered exactly once: no overlaps and no unindexed bytes.
        long expected = 0;
        foreach (var (name, _, _, begin, end) in result.OrderBy(e => e.Item4).ThenBy(e => e.Item5))
        {
            if (begin != expected)
                throw new CheckpointException(path, begin < expected
                    ? $"tensor '{name}' overlaps another tensor's data (offset {begin})"
                    : $"bytes {expected}..{begin} of the data belong to no tensor");
            expected = end;
        }
        if (expected != dataLength)
            throw new CheckpointException(path, $"the tensors cover {expected} data bytes but the file holds {dataLength} (truncated or padded)");
        metadata = meta;
        return result;
    }

    private static (string, ScalarType, long[], long, long) ParseEntry(JsonProperty property, long dataLength, string path)
    {
        var name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object) throw new CheckpointException(path, $"header entry '{name}' is not an object");
        if (!value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
            throw new CheckpointException(path, $"tensor '{name}' has no dtype");
        var code = dtypeValue.GetString()!;
        var dtype = Codes.FirstOrDefault(c => c.Code == code);
        if (dtype.Code is null) throw new CheckpointException(path, $"tensor '{name}' has unsupported dtype '{code}'");

        var shape = Longs(value, "shape", name, path);
        var offsets = Longs(value, "data_offsets", name, path);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw new CheckpointException(path, $"tensor '{name}' has invalid data_offsets [{string.Join(", ", offsets)}]");
        if (offsets[1] > dataLength)
            throw new CheckpointException(path, $"tensor '{name}' ends at data byte {offsets[1]} but the file holds {dataLength} data bytes (truncated?)");
        long elements = 1;
        try
        {
            foreach (var dim in shape) elements = checked(elements * dim);
            var needed = checked(elements * dtype.DType.ElementSize());
            if (needed != offsets[1] - offsets[0])
                throw new CheckpointException(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {code} needs {needed} bytes but its data_offsets span {offsets[1] - offsets[0]}");
            if (needed > Array.MaxLength)
                throw new CheckpointException(path, $"tensor '{name}' holds {needed} bytes; tensors larger than 2 GB are not supported");
        }
        catch (OverflowException)
        {
            throw new CheckpointException(path, $"tensor '{name}' has an impossibly large shape [{string.Join(", ", shape)}]");
        }
        return (name, dtype.DType, shape, offsets[0], offsets[1]);
    }

    private static long[] Longs(JsonElement entry, string field, string name, string path)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new CheckpointException(path, $"tensor '{name}' has no {field} array");
        return array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0 ? n
            : throw new CheckpointException(path, $"tensor '{name}' {field} holds {v}, not a non-negative integer")).ToArray();
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot be opened: {e.Message}", e);
        }
    }
}
