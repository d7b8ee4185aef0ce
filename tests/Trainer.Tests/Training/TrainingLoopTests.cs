using Dsl.Runtime;
using Dsl.Runtime.Checkpoints;
using Dsl.Runtime.Data;
using Dsl.Runtime.Nn;
using Dsl.Runtime.Training;

namespace Dsl.Trainer.Tests.Training;

public sealed class TrainingLoopTests
{
    private static InMemoryImageDataset FashionSubset(int count, bool train) =>
        FashionMnist.Load(FashionMnist.DefaultFolder, train: false, train ? FashionMnist.TrainTransform() : FashionMnist.EvalTransform())
            .Take(count);

    [Fact]
    public void LossDecreasesOnAFashionMnistSubset()
    {
        Torch.ManualSeed(1);
        using var model = new TinyNet(1, 10, width: 8);
        var data = FashionSubset(512, train: false);
        var loader = new DataLoader(data, 32, shuffle: true, seed: 1, workers: 1);
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.1, WeightDecay = 5e-4, Seed = 1 };
        var reports = new List<EpochReport>();
        new TrainingLoop(model, loader, null, options, observer: new Recorder(reports)).Run();
        Assert.Equal(3, reports.Count);
        Assert.True(reports[2].Train.Loss < reports[0].Train.Loss - 0.2, $"loss {reports[0].Train.Loss} -> {reports[2].Train.Loss}");
        Assert.True(reports[2].Train.Top1 > 40, $"top-1 {reports[2].Train.Top1}");
        Assert.Equal(512, reports[0].Train.Samples);
        Assert.Equal(0.1, reports[0].LearningRate, 12);
    }

    [Fact]
    public void LossDecreasesOnAnImageFolderOfJpegs()
    {
        using var temp = new TempFolder();
        var images = new List<(string, int, int, int)>();
        foreach (var (name, level) in new[] { ("dark", 30), ("light", 220) })
        {
            Directory.CreateDirectory(temp.Combine(name));
            for (var i = 0; i < 12; i++) images.Add((temp.Combine(name, $"{i:D2}.jpg"), 30 + i, 40 - i, level + i));
        }
        TestImages.WriteJpegs(images);
        var transform = new TransformPipeline(new RandomResizedCrop(16), new ColorJitter(0.4, 0.4, 0.4), new RandomHorizontalFlip(), Normalize.ImageNet);
        var dataset = new ImageFolderDataset(temp.Path, transform, 3, 16, 16);
        Torch.ManualSeed(2);
        using var model = new TinyNet(3, 2);
        var reports = new List<EpochReport>();
        new TrainingLoop(model, new DataLoader(dataset, 8, shuffle: true, seed: 2, workers: 2), null,
            new TrainingOptions { Epochs = 4, LearningRate = 0.05, Seed = 2 }, observer: new Recorder(reports)).Run();
        Assert.True(reports[^1].Train.Loss < reports[0].Train.Loss, $"loss {reports[0].Train.Loss} -> {reports[^1].Train.Loss}");
        Assert.Equal(24, reports[0].Train.Samples);
    }

    [Fact]
    public void ResumingAfterOneEpochEqualsTwoEpochsStraight()
    {
        var threads = Torch.Threads;
        Torch.Threads = 1;
        try
        {
            using var temp = new TempFolder();
            var data = FashionSubset(256, train: true);
            var validation = FashionSubset(64, train: false);
            Torch.ManualSeed(5);
            using var initial = new TinyNet(1, 10);
            TrainingOptions Options(string folder) => new()
            { Epochs = 2, LearningRate = 0.05, WeightDecay = 1e-4, Seed = 9, LogFolder = folder, Architecture = "tiny" };
            DataLoader Loader() => new(data, 32, shuffle: true, seed: 9, workers: 2);
            DataLoader Val() => new(validation, 32, shuffle: false, workers: 1);

            using var straight = new TinyNet(1, 10);
            straight.LoadStateDict(initial.StateDict());
            new TrainingLoop(straight, Loader(), Val(), Options(temp.Combine("a"))).Run();

            using var first = new TinyNet(1, 10);
            first.LoadStateDict(initial.StateDict());
            using var stop = new CancellationTokenSource();
            Assert.Throws<OperationCanceledException>(() =>
                new TrainingLoop(first, Loader(), Val(), Options(temp.Combine("b")), observer: new CancelAfterEpoch(stop)).Run(cancel: stop.Token));

            Torch.ManualSeed(123);
            using var resumed = new TinyNet(1, 10);
            var result = new TrainingLoop(resumed, Loader(), Val(), Options(temp.Combine("b")))
                .Run(resumeFrom: temp.Combine("b", TrainingLoop.CheckpointFileName));
            Assert.Equal(1, result.EpochsRun);

            var expected = straight.StateDict();
            var actual = resumed.StateDict();
            Assert.Equal(expected.Select(e => e.Key), actual.Select(e => e.Key));
            for (var i = 0; i < expected.Count; i++)
            {
                var a = expected[i].Value.To(DType.Float64).ToArray<double>();
                var b = actual[i].Value.To(DType.Float64).ToArray<double>();
                for (var j = 0; j < a.Length; j++) Assert.True(Math.Abs(a[j] - b[j]) <= 1e-6, $"{expected[i].Key}[{j}]: {a[j]} vs {b[j]}");
            }
            Assert.True(File.Exists(temp.Combine("b", TrainingLoop.BestFileName)));
        }
        finally
        {
            Torch.Threads = threads;
        }
    }

    [Fact]
    public void CheckpointOfAnotherModelIsRefused()
    {
        using var temp = new TempFolder();
        var data = new SyntheticDataset(32, 3, 1, 8, 8);
        using var model = new TinyNet(1, 3);
        new TrainingLoop(model, new DataLoader(data, 16, true), null,
            new TrainingOptions { Epochs = 1, LogFolder = temp.Path, Architecture = "tiny-a" }).Run();
        var checkpoint = temp.Combine(TrainingLoop.CheckpointFileName);

        using var wider = new TinyNet(1, 3, width: 4);
        var error = Assert.Throws<InvalidOperationException>(() => new TrainingLoop(wider, new DataLoader(data, 16, true), null,
            new TrainingOptions { Epochs = 2, LogFolder = temp.Combine("b"), Architecture = "tiny-b" }).Run(checkpoint));
        Assert.Contains("is of 'tiny-a', not 'tiny-b'", error.Message);
        Assert.Contains("conv1.weight", error.Message);

        using var sameName = new TinyNet(1, 3, width: 4);
        Assert.Throws<StateDictMismatchException>(() => new TrainingLoop(sameName, new DataLoader(data, 16, true), null,
            new TrainingOptions { Epochs = 2, LogFolder = temp.Combine("c"), Architecture = "tiny-a" }).Run(checkpoint));

        // Same weights under another name (the original script's arch strings): accepted with a warning.
        var warnings = new List<string>();
        using var renamed = new TinyNet(1, 3);
        new TrainingLoop(renamed, new DataLoader(data, 16, true), null,
            new TrainingOptions { Epochs = 2, LogFolder = temp.Combine("d"), Architecture = "tiny-renamed" }, observer: new Warnings(warnings)).Run(checkpoint);
        Assert.Contains(warnings, w => w.Contains("tiny-a"));
    }

    [Fact]
    public void AFailedSaveLeavesThePreviousCheckpointIntact()
    {
        using var temp = new TempFolder();
        var data = new SyntheticDataset(32, 3, 1, 8, 8);
        using var model = new TinyNet(1, 3);
        new TrainingLoop(model, new DataLoader(data, 16, true), null,
            new TrainingOptions { Epochs = 1, LogFolder = temp.Path, Architecture = "tiny" }).Run();
        var checkpoint = temp.Combine(TrainingLoop.CheckpointFileName);
        var before = File.ReadAllBytes(checkpoint);
        var full = new TorchCheckpointStore(stream => new FullDiskStream(stream));
        var error = Assert.Throws<CheckpointException>(() => new TrainingLoop(model, new DataLoader(data, 16, true), null,
            new TrainingOptions { Epochs = 2, LogFolder = temp.Path, Architecture = "tiny" }, full).Run(checkpoint));
        Assert.Contains("unchanged", error.Message);
        Assert.Contains(TrainingLoop.CheckpointFileName, error.Message);
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
        Assert.Equal([TrainingLoop.CheckpointFileName, TrainingLoop.BestFileName], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var scope = new TensorScope();
        Assert.Equal(1, TrainingCheckpoint.Load(checkpoint).Epoch);
    }

    /// <summary>Accepts a few kilobytes, then fails as a full disk does.</summary>
    private sealed class FullDiskStream(Stream inner) : Stream
    {
        private long written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => written;
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (written + count > 4096) throw new IOException("No space left on device");
            inner.Write(buffer, offset, count);
            written += count;
        }
    }

    private sealed class Warnings(List<string> into) : ITrainingObserver
    {
        public void Warning(string message) => into.Add(message);
    }

    private sealed class Recorder(List<EpochReport> reports) : ITrainingObserver
    {
        public void EpochCompleted(EpochReport report) => reports.Add(report);
    }

    private sealed class CancelAfterEpoch(CancellationTokenSource source) : ITrainingObserver
    {
        public void EpochCompleted(EpochReport report) => source.Cancel();
    }
}
