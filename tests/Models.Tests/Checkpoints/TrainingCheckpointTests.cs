using System.Text.Json;
using Dsl.Runtime;
using Dsl.Runtime.Checkpoints;
using Dsl.Runtime.Nn;
using Dsl.Runtime.Parity;
using Xunit;

namespace Dsl.Models.Tests.Checkpoints;

public sealed class TrainingCheckpointTests
{
    /// <summary>A filled SmallNet and a checkpoint of it whose momentum buffers are distinct from the weights (the last one absent).</summary>
    private static (SmallNet Net, TrainingCheckpoint Checkpoint) MakeCheckpoint()
    {
        var net = new SmallNet();
        ReferenceFill.Fill(net);
        var parameters = net.Parameters().ToList();
        var buffers = parameters.Select((p, i) => i == parameters.Count - 1 ? null : p.Mul(0.1 * (i + 1))).ToList();
        var checkpoint = new TrainingCheckpoint(
            Epoch: 7, Arch: "bLResNet-50-a2-b4", StateDict: net.StateDict(), BestTop1: 61.25,
            Optimizer: new SgdState(0.05, 0.9, 0, 1e-4, true, buffers),
            ScheduleName: "cosine", RngState: Torch.GetRngState()) { Seed = ulong.MaxValue - 5 };
        return (net, checkpoint);
    }

    [Fact]
    public void OurSaveThenOurLoadGivesEqualValues()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var (net, saved) = MakeCheckpoint();
        using var _ = net;
        var path = temp.File("checkpoint.pth.tar");
        saved.Save(path);

        var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal((7, "bLResNet-50-a2-b4", 61.25, "cosine"), (loaded.Epoch, loaded.Arch, loaded.BestTop1, loaded.ScheduleName));
        Assert.Equal(saved.RngState, loaded.RngState);
        Assert.Equal(ulong.MaxValue - 5, loaded.Seed);
        Assert.Equal(saved.StateDict.Select(e => e.Key), loaded.StateDict.Select(e => e.Key));
        foreach (var (expected, actual) in saved.StateDict.Zip(loaded.StateDict))
        {
            Assert.Equal(expected.Value.DType, actual.Value.DType);
            Assert.Equal(expected.Value.Shape, actual.Value.Shape);
            Assert.Equal(expected.Value.ToBytes(), actual.Value.ToBytes());
        }

        var optimizer = Assert.IsType<SgdState>(loaded.Optimizer);
        Assert.Equal((0.05, 0.9, 0.0, 1e-4, true), (optimizer.LearningRate, optimizer.Momentum, optimizer.Dampening, optimizer.WeightDecay, optimizer.Nesterov));
        Assert.Equal(saved.Optimizer!.MomentumBuffers.Count, optimizer.MomentumBuffers.Count);
        Assert.Null(optimizer.MomentumBuffers[^1]);
        foreach (var (expected, actual) in saved.Optimizer.MomentumBuffers.Zip(optimizer.MomentumBuffers).SkipLast(1))
            Assert.Equal(expected!.ToBytes(), actual!.ToBytes());
    }

    [Fact]
    public void RecordsAreAlignedTo64Bytes()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var (net, saved) = MakeCheckpoint();
        using var _ = net;
        var path = temp.File("aligned.pt");
        saved.Save(path);

        // Walk the local headers in file order: signature, sizes at 18, name and extra lengths at 26 and 28.
        var bytes = File.ReadAllBytes(path);
        var names = new List<string>();
        for (var at = 0; BitConverter.ToUInt32(bytes, at) == 0x04034B50;)
        {
            var size = BitConverter.ToInt32(bytes, at + 18);
            var nameLength = BitConverter.ToUInt16(bytes, at + 26);
            var extraLength = BitConverter.ToUInt16(bytes, at + 28);
            var data = at + 30 + nameLength + extraLength;
            names.Add(System.Text.Encoding.UTF8.GetString(bytes, at + 30, nameLength));
            Assert.True(data % 64 == 0, $"{names[^1]} data starts at {data}, not on a 64-byte boundary");
            at = data + size;
        }
        Assert.Equal("archive/data.pkl", names[0]);
        Assert.Equal("archive/version", names[^1]);
        Assert.Equal(saved.StateDict.Count + saved.Optimizer!.MomentumBuffers.Count(b => b is not null) + 1 + 2, names.Count);
    }

    [PythonTorchFact]
    public void TorchLoadReadsOurCheckpoint()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var (net, saved) = MakeCheckpoint();
        using var _ = net;
        var path = temp.File("for-python.pth.tar");
        saved.Save(path);

        var summary = PythonTorch.RunJson("torch_summary.py", path);
        Assert.Equal(7, summary.GetProperty("epoch").GetInt32());
        Assert.Equal("bLResNet-50-a2-b4", summary.GetProperty("arch").GetString());
        Assert.Equal(61.25, summary.GetProperty("best_top1").GetDouble());
        Assert.Equal("cosine", summary.GetProperty("lr_schedule").GetString());
        Assert.Equal(ulong.MaxValue - 5, summary.GetProperty("seed").GetUInt64());
        Assert.True(summary.GetProperty("ordered").GetBoolean());
        Assert.Equal(saved.RngState!.Length, summary.GetProperty("rng_state").GetProperty("length").GetInt32());
        Assert.Equal(saved.StateDict.Select(e => e.Key), summary.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));

        var tensors = summary.GetProperty("tensors");
        foreach (var (key, tensor) in saved.StateDict)
        {
            var python = tensors.GetProperty(key);
            Assert.Equal(tensor.Shape, python.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            using var asDouble = tensor.To(DType.Float64);
            Assert.Equal(asDouble.Sum().Item(), python.GetProperty("sum").GetDouble(), 9);
            Assert.Equal(asDouble.ToArray<double>()[0], python.GetProperty("first").GetDouble(), 12);
        }

        var optimizer = summary.GetProperty("optimizer");
        Assert.Equal(0.05, optimizer.GetProperty("group").GetProperty("lr").GetDouble());
        Assert.True(optimizer.GetProperty("group").GetProperty("nesterov").GetBoolean());
        Assert.Equal(saved.Optimizer!.MomentumBuffers.Count, optimizer.GetProperty("params").GetInt32());
        var sums = optimizer.GetProperty("momentum_sums");
        Assert.Equal(saved.Optimizer.MomentumBuffers.Count(b => b is not null), sums.EnumerateObject().Count());
        using var firstBuffer = saved.Optimizer.MomentumBuffers[0]!.To(DType.Float64);
        Assert.Equal(firstBuffer.Sum().Item(), sums.GetProperty("0").GetDouble(), 9);
    }

    [PythonTorchFact]
    public void ReadsWhatTorchSaveWrites()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var path = temp.File("mixed.pt");
        var expectedPath = temp.File("mixed.json");
        PythonTorch.Run("write_mixed.py", path, expectedPath);
        var expected = JsonDocument.Parse(File.ReadAllText(expectedPath)).RootElement;

        using var checkpoint = Checkpoint.Read(path);
        foreach (var entry in expected.EnumerateObject())
        {
            var tensor = Assert.IsType<Tensor>(checkpoint[entry.Name]);
            Assert.Equal(entry.Value.GetProperty("dtype").GetString(), DTypeName(tensor.DType));
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), tensor.Shape);
            using var asDouble = tensor.To(DType.Float64);
            Assert.Equal(entry.Value.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()), asDouble.ToArray<double>());
        }
        var plain = Assert.IsType<PickleDict>(checkpoint["plain"]);
        Assert.Equal(new object?[] { 1L, 2.5, "text", null, true }, Assert.IsType<List<object?>>(plain["list"]));
        Assert.Equal(new object?[] { 1L, 2L }, Assert.IsType<object?[]>(plain["tuple"]));
        Assert.Equal(1L << 40, plain["big"]);
        Assert.Equal(-70000L, plain["negative"]);
        Assert.Equal((61.25, 0.5, -3L), (plain["np_float"], plain["np_single"], plain["np_int"]));
        Assert.Equal(2.75, plain["np_big_endian"]);
    }

    [PythonTorchFact]
    public void FixtureValuesMatchTorchLoad()
    {
        using var scope = new TensorScope();
        var summary = PythonTorch.RunJson("torch_summary.py", TestPaths.FixtureCheckpoint);
        var loaded = TrainingCheckpoint.Load(TestPaths.FixtureCheckpoint);
        var tensors = summary.GetProperty("tensors");
        Assert.Equal(tensors.EnumerateObject().Count(), loaded.StateDict.Count);
        foreach (var (key, tensor) in loaded.StateDict)
        {
            using var asDouble = tensor.To(DType.Float64);
            Assert.Equal(tensors.GetProperty("module." + key).GetProperty("sum").GetDouble(), asDouble.Sum().Item(), 9);
        }
        var optimizer = Assert.IsType<SgdState>(loaded.Optimizer);
        Assert.Equal((0.1, 0.9, 0.0, 1e-4, true), (optimizer.LearningRate, optimizer.Momentum, optimizer.Dampening, optimizer.WeightDecay, optimizer.Nesterov));
        var sums = summary.GetProperty("optimizer").GetProperty("momentum_sums");
        for (var i = 0; i < optimizer.MomentumBuffers.Count; i++)
        {
            using var asDouble = optimizer.MomentumBuffers[i]!.To(DType.Float64);
            Assert.Equal(sums.GetProperty(i.ToString()).GetDouble(), asDouble.Sum().Item(), 9);
        }
        Assert.Equal(3, loaded.Epoch);
    }

    [Fact]
    public void FailedWriteLeavesThePreviousFileIntact()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var (net, saved) = MakeCheckpoint();
        using var _ = net;
        var path = temp.File("checkpoint.pth.tar");
        saved.Save(path);
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<CheckpointException>(() =>
            (saved with { Epoch = 8 }).Save(path, file => new FailingStream(file, failAfterBytes: 1000)));
        Assert.Contains(path, error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
        Assert.Equal(7, TrainingCheckpoint.Load(path).Epoch);
    }

    [Fact]
    public void LoadIntoCopiesWeightsAndReportsMismatches()
    {
        using var scope = new TensorScope();
        using var temp = new TempFolder();
        var (net, saved) = MakeCheckpoint();
        using var _ = net;
        var path = temp.File("weights.pth.tar");
        saved.Save(path);

        using var same = new SmallNet();
        Assert.True(Checkpoint.LoadInto(same, path).IsExact);
        foreach (var (a, b) in net.StateDict().Zip(same.StateDict())) Assert.Equal(a.Value.ToBytes(), b.Value.ToBytes());

        using var otherHead = new SmallNet(classes: 5);
        var mismatch = Assert.Throws<StateDictMismatchException>(() => Checkpoint.LoadInto(otherHead, path));
        Assert.Contains("fc.weight", mismatch.Message);
        var report = Checkpoint.LoadInto(otherHead, path, strict: false);
        Assert.Equal(["fc.weight", "fc.bias"], report.MisShaped.Select(m => m.Key));
        Assert.Equal(net.StateDict()[0].Value.ToBytes(), otherHead.StateDict()[0].Value.ToBytes());
    }

    [Fact]
    public void FixtureDoesNotLoadIntoAnotherModel()
    {
        using var scope = new TensorScope();
        using var other = new SmallNet();
        var error = Assert.Throws<StateDictMismatchException>(() => Checkpoint.LoadInto(other, TestPaths.FixtureCheckpoint));
        Assert.Contains("layer1.big.0.conv1.weight", error.Message);
        Assert.Contains("conv1.weight: model has [4, 3, 3, 3], given [8, 3, 7, 7]", error.Message);
    }

    private static string DTypeName(DType dtype) => dtype switch
    {
        DType.Float16 => "float16", DType.BFloat16 => "bfloat16", DType.Float32 => "float32", DType.Float64 => "float64",
        DType.Int64 => "int64", DType.Int32 => "int32", DType.UInt8 => "uint8", DType.Bool => "bool",
        _ => dtype.ToString(),
    };
}
