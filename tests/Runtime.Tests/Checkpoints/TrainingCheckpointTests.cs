using System.Text.Json;
using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Checkpoints;

public sealed class TrainingCheckpointTests
{
    private static readonly TrainingProgress Progress = new(7, "bLResNet-50-a2-b4", 61.25, "cosine", RandomState());

    private static byte[] RandomState()
    {
        using var state = get_rng_state();
        return TensorValues.Bytes(state);
    }

    /// <summary>
    /// A filled SmallNet after three SGD steps, so BN statistics and momentum buffers are not trivial; fc.bias is
    /// frozen, so its buffer was never made.
    /// </summary>
    private static (SmallNet Net, SGD Sgd) Trained()
    {
        var net = SmallNet.WithReferenceWeights();
        var sgd = Training.Sgd(net);
        net.state_dict()["fc.bias"].requires_grad = false;
        Training.Steps(net, sgd, first: 0, count: 3);
        return (net, sgd);
    }

    /// <summary>
    /// A <see cref="Trained"/> SmallNet and its SGD, saved with <see cref="Progress"/> as a file in a temporary folder;
    /// disposing it disposes all three. With <paramref name="withAverage"/> an average of the weights, two steps behind, is saved too.
    /// </summary>
    private sealed class SavedCheckpoint : IDisposable
    {
        public SavedCheckpoint(string fileName = "checkpoint.pth.tar", bool withAverage = false)
        {
            (Net, Sgd) = Trained();
            if (withAverage)
            {
                Average = new WeightAverage(Net, 0.5);
                for (var step = 3; step < 5; step++)
                {
                    Training.Steps(Net, Sgd, first: step, count: 1);
                    Average.Update(Net);
                }
            }
            Path = Folder.Combine(fileName);
            TrainingCheckpoint.Save(Path, Progress, Net, Sgd, Average?.Saved);
        }

        public TempFolder Folder { get; } = new();
        public SmallNet Net { get; }
        public SGD Sgd { get; }
        public WeightAverage? Average { get; }
        public string Path { get; }

        public void Deconstruct(out SmallNet net, out SGD sgd, out string path) => (net, sgd, path) = (Net, Sgd, Path);

        public void Dispose()
        {
            Average?.Dispose();
            Sgd.Dispose();
            Net.Dispose();
            Folder.Dispose();
        }
    }

    private static List<Tensor?> Buffers(SGD sgd) => sgd.state_dict().State.Select(s => (Tensor?)((SGD.State)s).momentum_buffer).ToList();

    [Fact]
    public void OurSaveThenOurLoadGivesEqualValues()
    {
        using var saved = new SavedCheckpoint();
        var (net, sgd, path) = saved;

        using var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal((7, "bLResNet-50-a2-b4", 61.25, "cosine"), (loaded.Progress.Epoch, loaded.Progress.Arch, loaded.Progress.BestTop1, loaded.Progress.ScheduleName));
        Assert.Equal(Progress.RngState, loaded.Progress.RngState);
        Assert.Equal(["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "fc.weight", "fc.bias"],
            loaded.StateDict.Select(e => e.Key));
        Assert.Equal(net.Snapshot(), loaded.StateDict.Select(e => $"{e.Key}={Convert.ToHexString(TensorValues.Bytes(e.Value))}"));
        Assert.Equal(3L, loaded.StateDict.Single(e => e.Key == "bn1.num_batches_tracked").Value.item<long>());

        var optimizer = Assert.IsType<SgdState>(loaded.Optimizer);
        Assert.Equal(new SgdParamGroup(0.1, 0.9, 0, 1e-4, true, 5), Assert.Single(optimizer.ParamGroups));
        var expected = Buffers(sgd);
        Assert.Equal(expected.Count, optimizer.MomentumBuffers.Count);
        Assert.Null(expected[^1]);
        Assert.Null(optimizer.MomentumBuffers[^1]);
        foreach (var (live, read) in expected.Zip(optimizer.MomentumBuffers).SkipLast(1))
        {
            Assert.NotEqual(0, TensorValues.Doubles(live!).Sum(Math.Abs));
            Assert.Equal(TensorValues.Bytes(live!), TensorValues.Bytes(read!));
        }
    }

    [Fact]
    public void TheWeightsAverageRoundTripsExactly()
    {
        using var saved = new SavedCheckpoint(withAverage: true);
        var (net, _, path) = saved;
        var average = saved.Average!;

        using var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal(2L, loaded.EmaUpdates);
        Assert.Equal(SmallNet.Snapshot(average.StateDict), SmallNet.Snapshot(loaded.EmaStateDict!));
        // Two steps behind, the average is not the weights: the comparison above can tell them apart.
        Assert.NotEqual(net.Snapshot(), SmallNet.Snapshot(loaded.EmaStateDict!));

        using var restored = new WeightAverage(net, 0.5);
        restored.Restore(loaded);
        Assert.Equal(2L, restored.Updates);
        Assert.Equal(SmallNet.Snapshot(average.StateDict), SmallNet.Snapshot(restored.StateDict));
    }

    [Fact]
    public void AFileWithoutAnAverageOrWithOneOfAnotherShapeIsRefusedNamingTheFile()
    {
        using var plain = new SavedCheckpoint("plain.pth.tar");
        using (var loaded = TrainingCheckpoint.Load(plain.Path))
        {
            Assert.Null(loaded.EmaStateDict);
            Assert.Equal(0L, loaded.EmaUpdates);
            using var average = new WeightAverage(plain.Net, 0.5);
            var error = Assert.Throws<CheckpointException>(() => average.Restore(loaded));
            Assert.Equal(plain.Path, error.FilePath);
            Assert.Contains("has no ema_state_dict; it was trained without --ema", error.Message);
        }

        using var averaged = new SavedCheckpoint("averaged.pth.tar", withAverage: true);
        using var file = TrainingCheckpoint.Load(averaged.Path);
        using var wider = new SmallNet(width: 6);
        using var widerAverage = new WeightAverage(wider, 0.5);
        var mismatch = Assert.Throws<CheckpointException>(() => widerAverage.Restore(file));
        Assert.Equal(averaged.Path, mismatch.FilePath);
        Assert.Contains("'ema_state_dict' does not fit the model: 'conv1.weight' has shape [4, 3, 3, 3], the model [6, 3, 3, 3]", mismatch.Message);
        using var extra = new SmallNet();
        extra.register_buffer("phase", zeros(2));
        using var extraAverage = new WeightAverage(extra, 0.5);
        Assert.Contains("'phase' is missing", Assert.Throws<CheckpointException>(() => extraAverage.Restore(file)).Message);
    }

    [Fact]
    public void ResumedSgdContinuesExactlyLikeAnUninterruptedOne()
    {
        using var saved = new SavedCheckpoint();
        var (net, sgd, path) = saved;
        Training.Steps(net, sgd, first: 3, count: 4);

        // A fresh model and an optimizer with another learning rate: both must come from the file.
        using var resumed = new SmallNet();
        using var resumedSgd = Training.Sgd(resumed, learningRate: 0.5);
        resumed.state_dict()["fc.bias"].requires_grad = false;
        using (var checkpoint = TrainingCheckpoint.Load(path))
        {
            Assert.True(checkpoint.LoadWeightsInto(resumed).IsExact);
            checkpoint.RestoreOptimizer(resumedSgd);
        }
        Assert.Equal(0.1, resumedSgd.ParamGroups.Single().LearningRate);
        Training.Steps(resumed, resumedSgd, first: 3, count: 4);
        Assert.Equal(net.Snapshot(), resumed.Snapshot());

        // Without the momentum buffers the same steps go elsewhere, so the comparison above can fail.
        using var restarted = new SmallNet();
        using var restartedSgd = Training.Sgd(restarted);
        restarted.state_dict()["fc.bias"].requires_grad = false;
        Checkpoint.LoadInto(restarted, path);
        Training.Steps(restarted, restartedSgd, first: 3, count: 4);
        Assert.NotEqual(net.Snapshot(), restarted.Snapshot());
    }

    [Fact]
    public void OptimizerOfAnotherShapeIsRefusedNamingTheFile()
    {
        using var saved = new SavedCheckpoint();
        var path = saved.Path;

        using var wider = new SmallNet(width: 6);
        using var widerSgd = Training.Sgd(wider);
        using var checkpoint = TrainingCheckpoint.Load(path);
        var error = Assert.Throws<CheckpointException>(() => checkpoint.RestoreOptimizer(widerSgd));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("momentum buffer 0 has shape [4, 3, 3, 3], its parameter [6, 3, 3, 3]", error.Message);
        Assert.All(Buffers(widerSgd), Assert.Null);
    }

    [Fact]
    public void RecordsAreAlignedTo64Bytes()
    {
        using var saved = new SavedCheckpoint("aligned.pt");
        var (net, sgd, path) = saved;

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
        // data.pkl, one record per state-dict entry, one per momentum buffer, the RNG state, version.
        Assert.Equal(1 + net.state_dict().Count + Buffers(sgd).Count(b => b is not null) + 1 + 1, names.Count);
    }

    [PythonTorchFact]
    public void TorchLoadReadsOurCheckpoint()
    {
        using var saved = new SavedCheckpoint("for-python.pth.tar", withAverage: true);
        var (net, sgd, path) = saved;

        var summary = PythonTorch.RunJson("torch_summary.py", path);
        Assert.Equal(7, summary.GetProperty("epoch").GetInt32());
        Assert.Equal("bLResNet-50-a2-b4", summary.GetProperty("arch").GetString());
        Assert.Equal(61.25, summary.GetProperty("best_top1").GetDouble());
        Assert.Equal("cosine", summary.GetProperty("lr_schedule").GetString());
        Assert.True(summary.GetProperty("ordered").GetBoolean());
        Assert.Equal(Progress.RngState!.Length, summary.GetProperty("rng_state").GetProperty("length").GetInt32());
        Assert.Equal(PyTorchStateDict.Of(net).Select(e => e.Key), summary.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));

        var tensors = summary.GetProperty("tensors");
        foreach (var (key, tensor) in net.state_dict())
        {
            var python = tensors.GetProperty(key);
            Assert.Equal(tensor.shape, python.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            var values = TensorValues.Doubles(tensor);
            Assert.Equal(values.Sum(), python.GetProperty("sum").GetDouble(), 9);
            Assert.Equal(values[0], python.GetProperty("first").GetDouble(), 12);
        }

        // The average is an OrderedDict of the same keys, with its update count beside it.
        Assert.Equal(2, summary.GetProperty("ema_updates").GetInt64());
        Assert.True(summary.GetProperty("ema_ordered").GetBoolean());
        Assert.Equal(saved.Average!.StateDict.Select(e => e.Key), summary.GetProperty("ema_sums").EnumerateObject().Select(p => p.Name));
        foreach (var (key, tensor) in saved.Average.StateDict)
            Assert.Equal(TensorValues.Doubles(tensor).Sum(), summary.GetProperty("ema_sums").GetProperty(key).GetDouble(), 9);

        var optimizer = summary.GetProperty("optimizer");
        Assert.Equal(0.1, optimizer.GetProperty("group").GetProperty("lr").GetDouble());
        Assert.True(optimizer.GetProperty("group").GetProperty("nesterov").GetBoolean());
        var buffers = Buffers(sgd);
        Assert.Equal(buffers.Count, optimizer.GetProperty("params").GetInt32());
        var sums = optimizer.GetProperty("momentum_sums");
        Assert.Equal(buffers.Count(b => b is not null), sums.EnumerateObject().Count());
        Assert.Equal(TensorValues.Doubles(buffers[0]!).Sum(), sums.GetProperty("0").GetDouble(), 9);
    }

    [PythonTorchFact]
    public void ReadsWhatTorchSaveWrites()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("mixed.pt");
        var expectedPath = temp.Combine("mixed.json");
        PythonTorch.Run("write_mixed.py", path, expectedPath);
        var expected = JsonDocument.Parse(File.ReadAllText(expectedPath)).RootElement;

        using var checkpoint = Checkpoint.Read(path);
        foreach (var entry in expected.EnumerateObject())
        {
            var tensor = Assert.IsType<Tensor>(checkpoint[entry.Name]);
            Assert.Equal(entry.Value.GetProperty("dtype").GetString(), DTypeName(tensor.dtype));
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), tensor.shape);
            Assert.Equal(entry.Value.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()), TensorValues.Doubles(tensor));
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
        var summary = PythonTorch.RunJson("torch_summary.py", TestPaths.FixtureCheckpoint);
        using var loaded = TrainingCheckpoint.Load(TestPaths.FixtureCheckpoint);
        var tensors = summary.GetProperty("tensors");
        Assert.Equal(tensors.EnumerateObject().Count(), loaded.StateDict.Count);
        foreach (var (key, tensor) in loaded.StateDict)
            Assert.Equal(tensors.GetProperty("module." + key).GetProperty("sum").GetDouble(), TensorValues.Doubles(tensor).Sum(), 9);
        var sums = summary.GetProperty("optimizer").GetProperty("momentum_sums");
        var buffers = loaded.Optimizer!.MomentumBuffers;
        for (var i = 0; i < buffers.Count; i++)
            Assert.Equal(sums.GetProperty(i.ToString()).GetDouble(), TensorValues.Doubles(buffers[i]!).Sum(), 9);
    }

    [Fact]
    public void FixtureLoadsWithTheOriginalScriptsValues()
    {
        using var loaded = TrainingCheckpoint.Load(TestPaths.FixtureCheckpoint);
        Assert.Equal((3, "ImageNet-bLResNet-50-a2-b4", 12.5), (loaded.Progress.Epoch, loaded.Progress.Arch, loaded.Progress.BestTop1));
        var optimizer = Assert.IsType<SgdState>(loaded.Optimizer);
        var group = Assert.Single(optimizer.ParamGroups);
        Assert.Equal(new SgdParamGroup(0.1, 0.9, 0, 1e-4, true, optimizer.MomentumBuffers.Count), group);
        Assert.Equal(loaded.StateDict.Count(e => !e.Key.Contains("running_") && !e.Key.EndsWith("num_batches_tracked")), group.ParameterCount);
        Assert.All(optimizer.MomentumBuffers, buffer => Assert.NotNull(buffer));
        Assert.Equal(loaded.StateDict[0].Value.shape, optimizer.MomentumBuffers[0]!.shape);
    }

    [Fact]
    public void FailedSaveLeavesThePreviousFileIntact()
    {
        using var saved = new SavedCheckpoint();
        var path = saved.Path;
        var before = File.ReadAllBytes(path);

        // A complex buffer has no torch.save storage type we write, so the writer fails midway.
        using var broken = new SmallNet();
        broken.register_buffer("phase", complex(ones(2), zeros(2)));
        var error = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Save(path, Progress with { Epoch = 8 }, broken, null));
        Assert.Contains(path, error.Message);
        Assert.Contains("no PyTorch storage type", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(saved.Folder.Path));
        using var reread = TrainingCheckpoint.Load(path);
        Assert.Equal(7, reread.Progress.Epoch);
    }

    [Fact]
    public void LoadIntoCopiesWeightsAndReportsMismatches()
    {
        using var saved = new SavedCheckpoint("weights.pth.tar");
        var (net, _, path) = saved;

        using var same = new SmallNet();
        Assert.True(Checkpoint.LoadInto(same, path).IsExact);
        Assert.Equal(net.Snapshot(), same.Snapshot());

        using var otherHead = new SmallNet(classes: 5);
        var untouched = otherHead.Snapshot();
        var mismatch = Assert.Throws<StateDictMismatchException>(() => Checkpoint.LoadInto(otherHead, path));
        Assert.Contains("fc.weight: model has [5, 4], given [3, 4]", mismatch.Message);
        Assert.Equal(path, mismatch.FilePath);
        Assert.Equal(untouched, otherHead.Snapshot());

        var report = Checkpoint.LoadInto(otherHead, path, strict: false);
        Assert.Equal(["fc.weight", "fc.bias"], report.MisShaped.Select(m => m.Key));
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Equal(net.Snapshot().SkipLast(2), otherHead.Snapshot().SkipLast(2));
        Assert.Equal(untouched.Where(line => line.StartsWith("fc.")), otherHead.Snapshot().Where(line => line.StartsWith("fc.")));
    }

    [Fact]
    public void LoadingKeepsTheDestinationsTypeAndLeavesGradientsOff()
    {
        using var temp = new TempFolder();
        using var source = SmallNet.WithReferenceWeights();
        var path = temp.Combine("weights.pth");
        Checkpoint.SaveStateDict(path, source);

        using var doubled = new SmallNet();
        doubled.to(ScalarType.Float64);
        Assert.True(Checkpoint.LoadInto(doubled, path).IsExact);
        Assert.Equal(ScalarType.Float64, doubled.ConvWeight.dtype);
        Assert.True(doubled.ConvWeight.requires_grad);
        Assert.Equal(TensorValues.Doubles(source.ConvWeight), TensorValues.Doubles(doubled.ConvWeight));
    }

    [Fact]
    public void FixtureDoesNotLoadIntoAnotherModel()
    {
        using var other = new SmallNet();
        var error = Assert.Throws<StateDictMismatchException>(() => Checkpoint.LoadInto(other, TestPaths.FixtureCheckpoint));
        Assert.Contains("layer1.big.0.conv1.weight", error.Message);
        Assert.Contains("conv1.weight: model has [4, 3, 3, 3], given [8, 3, 7, 7]", error.Message);
        Assert.Contains("checkpoint.pth.tar", error.Message);
        Assert.Equal(TestPaths.FixtureCheckpoint, error.FilePath);
    }

    private static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => "float16", ScalarType.BFloat16 => "bfloat16", ScalarType.Float32 => "float32", ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64", ScalarType.Int32 => "int32", ScalarType.Byte => "uint8", ScalarType.Bool => "bool",
        _ => dtype.ToString(),
    };
}
