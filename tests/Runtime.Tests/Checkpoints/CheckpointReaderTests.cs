namespace Dsl.Runtime.Tests.Checkpoints;

public sealed class CheckpointReaderTests
{
    private static readonly string[] RunningStatSuffixes = ["running_mean", "running_var", "num_batches_tracked"];

    [Fact]
    public void ReadsTheTrainingFixture()
    {
        using var checkpoint = Checkpoint.Read(TestPaths.FixtureCheckpoint);

        Assert.Equal(3L, checkpoint["epoch"]);
        Assert.Equal("ImageNet-bLResNet-50-a2-b4", checkpoint["arch"]);
        Assert.Equal(12.5, checkpoint["best_top1"]);

        var state = checkpoint.StateDict();
        Assert.Equal(428, state.Count);
        Assert.DoesNotContain(state, e => e.Key.StartsWith("module.", StringComparison.Ordinal));
        Assert.Equal("conv1.weight", state[0].Key);
        Assert.Equal([8L, 3, 7, 7], state[0].Value.shape);
        Assert.Equal(ScalarType.Float32, state[0].Value.dtype);
        Assert.Contains(state, e => e.Key.EndsWith("num_batches_tracked") && e.Value.dtype == ScalarType.Int64 && e.Value.item<long>() == 3);

        var trainable = state.Where(e => !RunningStatSuffixes.Any(s => e.Key.EndsWith(s, StringComparison.Ordinal))).ToList();
        Assert.Equal(395_266, trainable.Sum(e => e.Value.numel()));

        var optimizer = Assert.IsType<PickleDict>(checkpoint["optimizer"]);
        var buffers = Assert.IsType<PickleDict>(optimizer["state"]);
        Assert.Equal(trainable.Count, buffers.Count);
        var firstBuffer = Assert.IsType<Tensor>(Assert.IsType<PickleDict>(buffers[0L])["momentum_buffer"]);
        Assert.Equal(trainable[0].Value.shape, firstBuffer.shape);
        Assert.True(TensorValues.Doubles(firstBuffer).Sum(Math.Abs) > 0, "momentum buffers after three steps are not zero");
    }

    [Fact]
    public void TruncatedArchiveIsAClearError()
    {
        var bytes = File.ReadAllBytes(TestPaths.FixtureCheckpoint);
        var (error, _) = RefusedFile.AsCheckpoint("truncated.pth.tar", path => File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]));
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "Popen")]
    public void RefusesGlobalsOutsideTheAllowList(string module, string name)
    {
        using var temp = new TempFolder();
        var marker = temp.Combine("pwned");
        var pickle = new CraftedPickle().Global(module, name).String($"touch {marker}").Op((byte)0x85).Op('R').Stop();
        var (error, _) = RefusedFile.AsCheckpoint("hostile.pt", pickle);
        Assert.Contains($"{module}.{name}", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void StorageShorterThanItsTensorIsReported()
    {
        // The persistent id claims 6 floats, the record holds 4 bytes.
        var pickle = new CraftedPickle().Tensor("FloatStorage", "0", 6, 0, [2, 3], [3, 1]).Stop();
        var (error, _) = RefusedFile.AsCheckpoint("short.pt", pickle, ("0", new byte[4]));
        Assert.Contains("holds 4 bytes", error.Message);
    }

    [Fact]
    public void ViewBeyondItsStorageIsReported()
    {
        var pickle = new CraftedPickle().Tensor("FloatStorage", "0", 4, 2, [2, 2], [2, 1]).Stop();
        var (error, _) = RefusedFile.AsCheckpoint("overrun.pt", pickle, ("0", new byte[16]));
        Assert.Contains("needs 6 elements but storage '0' holds 4", error.Message);
    }

    [Fact]
    public void UnknownStorageTypeIsReported()
    {
        var pickle = new CraftedPickle().Tensor("ComplexFloatStorage", "0", 1, 0, [1], [1]).Stop();
        var (error, _) = RefusedFile.AsCheckpoint("complex.pt", pickle, ("0", new byte[8]));
        Assert.Contains("unsupported storage type 'torch.ComplexFloatStorage'", error.Message);
    }

    [Fact]
    public void ReadsViewsWithOffsetsAndStridesFromASharedStorage()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("views.pt");
        var storage = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        // {'a': storage[1:7].view(2,3).t(), 'b': storage[6:12].view(2,3)}
        var pickle = new CraftedPickle().Op('}').Op('(')
            .String("a").Tensor("FloatStorage", "s", 12, 1, [3, 2], [1, 3])
            .String("b").Tensor("FloatStorage", "s", 12, 6, [2, 3], [3, 1])
            .Op('u').Stop();
        CraftedArchive.Write(path, pickle, ("s", storage.SelectMany(BitConverter.GetBytes).ToArray()));

        using var checkpoint = Checkpoint.Read(path);
        var a = Assert.IsType<Tensor>(checkpoint["a"]);
        Assert.Equal([3L, 2], a.shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], TensorValues.Floats(a));
        Assert.Equal([6f, 7, 8, 9, 10, 11], TensorValues.Floats(Assert.IsType<Tensor>(checkpoint["b"])));
    }

    [Fact]
    public void BigEndianNumpyScalarIsDecoded()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("numpy.pt");
        var raw = new string(new[] { 0x40, 0x06, 0, 0, 0, 0, 0, 0 }.Select(b => (char)b).ToArray());
        var pickle = new CraftedPickle()
            .Global("numpy.core.multiarray", "scalar")
            .Global("numpy", "dtype").String("f8").Op(0x89).Op(0x88).Op(0x87).Op('R')
            .Op('(').Int(3).String(">").Op('N').Op('N').Op('N').Int(-1).Int(-1).Int(0).Op('t').Op('b')
            .Global("_codecs", "encode").String(raw).String("latin1").Op(0x86).Op('R')
            .Op(0x86).Op('R').Stop();
        CraftedArchive.Write(path, pickle);
        using var checkpoint = Checkpoint.Read(path);
        Assert.Equal(2.75, checkpoint.Root);
    }

    [Fact]
    public void MissingFileAndNonZipAreClearErrors()
    {
        RefusedFile.AsCheckpoint("absent.pt", _ => { });
        Assert.Contains("not a readable zip", RefusedFile.AsCheckpoint("notes.pt", path => File.WriteAllText(path, "not a checkpoint")).Error.Message);
        Assert.Contains("legacy", RefusedFile.AsCheckpoint("legacy.pt", path => File.WriteAllBytes(path, [0x80, 0x02, 0x8A, 0x0A])).Error.Message);
    }
}

public sealed class BareStateDictTests
{
    [Fact]
    public void BareStateDictWithDataParallelPrefixLoadsIntoAModel()
    {
        using var temp = new TempFolder();
        using var source = SmallNet.WithReferenceWeights();
        var path = temp.Combine("released.pth");
        Checkpoint.SaveStateDict(path, source.state_dict().Select(e => new KeyValuePair<string, Tensor>("module." + e.Key, e.Value)));

        using var target = new SmallNet();
        Assert.NotEqual(source.Snapshot(), target.Snapshot());
        Assert.True(Checkpoint.LoadInto(target, path).IsExact);
        Assert.Equal(source.Snapshot(), target.Snapshot());
    }

    [Fact]
    public void AFileThatIsNotAStateDictSaysSo()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("other.pt");
        Checkpoint.Save(path, new PickleDict { ["epoch"] = 3L, ["notes"] = "no weights" });
        using var checkpoint = Checkpoint.Read(path);
        var error = Assert.Throws<CheckpointException>(() => checkpoint.StateDict());
        Assert.Contains(path, error.Message);
        Assert.Contains("no 'state_dict' entry", error.Message);
    }
}
