using System.Text;
using Dsl.Runtime;
using Dsl.Runtime.Checkpoints;
using Xunit;

namespace Dsl.Models.Tests.Checkpoints;

public sealed class SafeTensorsTests
{
    private static List<KeyValuePair<string, Tensor>> SampleTensors() =>
    [
        new("weight", Tensor.FromArray(new[] { 1.5f, -2f, 0.25f, 8f, 3f, -1f }, 2, 3)),
        new("half", Tensor.FromArray(new[] { (Half)0.5, (Half)(-3) }, 2)),
        new("double", Tensor.FromArray(new[] { Math.PI }, 1)),
        new("steps", Tensor.FromArray(new[] { 42L })),
        new("mask", Tensor.FromArray(new[] { true, false, true }, 3)),
        new("scalar", Tensor.Scalar(2.5, DType.Float64)),
        new("empty", Tensor.Zeros([0, 4])),
    ];

    [Fact]
    public void RoundTripKeepsValuesTypesAndMetadata()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var path = temp.File("model.safetensors");
        var tensors = SampleTensors();
        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["arch"] = "bLResNet-50" });

        var headerLength = BitConverter.ToUInt64(File.ReadAllBytes(path), 0);
        Assert.Equal(0UL, headerLength % 8);

        var read = SafeTensors.Read(path);
        Assert.Equal("bLResNet-50", read.Metadata["arch"]);
        Assert.Equal(tensors.Select(t => t.Key), read.Tensors.Select(t => t.Key));
        foreach (var (expected, actual) in tensors.Zip(read.Tensors))
        {
            Assert.Equal(expected.Value.DType, actual.Value.DType);
            Assert.Equal(expected.Value.Shape, actual.Value.Shape);
            Assert.Equal(expected.Value.ToBytes(), actual.Value.ToBytes());
        }
    }

    [PythonTorchFact]
    public void AnIndependentReaderAgrees()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var path = temp.File("model.safetensors");
        var tensors = SampleTensors();
        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        var summary = PythonTorch.RunJson("safetensors_summary.py", path);
        Assert.Equal("pt", summary.GetProperty("metadata").GetProperty("format").GetString());
        foreach (var (name, tensor) in tensors)
        {
            var python = summary.GetProperty("tensors").GetProperty(name);
            Assert.Equal(tensor.Shape, python.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            using var asDouble = tensor.To(DType.Float64);
            Assert.Equal(asDouble.ToArray<double>(), python.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
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
        using var temp = new TempFolder();
        var path = temp.File("bad.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]]);
        var error = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void HeaderLongerThanTheFileIsAClearError()
    {
        using var temp = new TempFolder();
        var path = temp.File("truncated.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(1000UL), .. "{}"u8.ToArray()]);
        var error = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Contains("declares a 1000-byte header", error.Message);
    }
}
