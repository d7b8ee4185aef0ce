using System.Text;

namespace Dsl.Runtime.Tests.Checkpoints;

public sealed class SafeTensorsTests
{
    private static List<KeyValuePair<string, Tensor>> SampleTensors() =>
    [
        new("weight", tensor(new[] { 1.5f, -2f, 0.25f, 8f, 3f, -1f }, [2, 3])),
        new("half", tensor(new[] { 0.5f, -3f }).to_type(ScalarType.Float16)),
        new("brain", tensor(new[] { 0.75f, -1.25f, 4f }).to_type(ScalarType.BFloat16)),
        new("double", tensor(new[] { Math.PI })),
        new("steps", tensor(new[] { 42L })),
        new("mask", tensor(new[] { true, false, true })),
        new("scalar", tensor(2.5, ScalarType.Float64)),
        new("empty", zeros([0, 4])),
        new("transposed", arange(6, ScalarType.Float32).reshape(2, 3).t()),
    ];

    // The sample tensors, written with the metadata to model.safetensors in the folder.
    private static (string Path, List<KeyValuePair<string, Tensor>> Tensors) WriteSamples(TempFolder temp, Dictionary<string, string> metadata)
    {
        var path = temp.Combine("model.safetensors");
        var tensors = SampleTensors();
        SafeTensors.Write(path, tensors, metadata);
        return (path, tensors);
    }

    [Fact]
    public void RoundTripKeepsValuesTypesAndMetadata()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var (path, tensors) = WriteSamples(temp, new() { ["format"] = "pt", ["arch"] = "bLResNet-50" });

        var headerLength = BitConverter.ToUInt64(File.ReadAllBytes(path), 0);
        Assert.Equal(0UL, headerLength % 8);

        using var read = SafeTensors.Read(path);
        Assert.Equal("bLResNet-50", read.Metadata["arch"]);
        Assert.Equal(tensors.Select(t => t.Key), read.Tensors.Select(t => t.Key));
        foreach (var (expected, actual) in tensors.Zip(read.Tensors))
        {
            Assert.Equal(expected.Value.dtype, actual.Value.dtype);
            Assert.Equal(expected.Value.shape, actual.Value.shape);
            Assert.Equal(TensorValues.Bytes(expected.Value), TensorValues.Bytes(actual.Value));
        }
        // The transposed view is stored row-major, as its values read, not in its storage's order.
        Assert.Equal([0f, 3, 1, 4, 2, 5], TensorValues.Floats(read.Tensors[^1].Value));
    }

    [PythonTorchFact]
    public void AnIndependentReaderAgrees()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var (path, tensors) = WriteSamples(temp, new() { ["format"] = "pt" });

        var summary = PythonTorch.RunJson("safetensors_summary.py", path);
        Assert.Equal("pt", summary.GetProperty("metadata").GetProperty("format").GetString());
        foreach (var (name, tensor) in tensors)
        {
            var python = summary.GetProperty("tensors").GetProperty(name);
            Assert.Equal(tensor.shape, python.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(TensorValues.Doubles(tensor), python.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        }
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "ends at data byte 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "needs 12 bytes but its data_offsets span 8")]
    [InlineData("""{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", 8, "unsupported dtype 'C64'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "overlaps")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "belong to no tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "not a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "no data_offsets array")]
    [InlineData("""{"__metadata__":{"n":1}}""", 0, "is not a string")]
    [InlineData("""{"a": [1, 2""", 0, "not valid JSON")]
    public void MalformedHeadersAreClearErrors(string header, int dataBytes, string problem)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var (error, _) = RefusedFile.AsSafeTensors("bad.safetensors", path =>
            File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]]));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void HeaderLongerThanTheFileIsAClearError()
    {
        var (error, _) = RefusedFile.AsSafeTensors("truncated.safetensors", path =>
            File.WriteAllBytes(path, [.. BitConverter.GetBytes(1000UL), .. "{}"u8.ToArray()]));
        Assert.Contains("declares a 1000-byte header", error.Message);
    }

    [Fact]
    public void ATypeSafetensorsCannotHoldIsRefusedAndNothingIsWritten()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var path = temp.Combine("complex.safetensors");
        var error = Assert.Throws<CheckpointException>(() =>
            SafeTensors.Write(path, [new("z", complex(ones(2), zeros(2)))]));
        Assert.Contains("'z'", error.Message);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
