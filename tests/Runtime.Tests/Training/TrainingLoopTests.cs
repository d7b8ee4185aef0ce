using Dsl.Runtime;
using Dsl.Runtime.Tests.Data;
using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Tests.Training;

public sealed class TrainingLoopTests
{
    private static InMemoryImageDataset FashionSubset(int count, bool train) =>
        FashionMnist.Load(FashionMnist.DefaultFolder, train: false, train ? FashionMnist.TrainTransform() : FashionMnist.EvalTransform())
            .Take(count);

    [Fact]
    public void LossDecreasesOnAFashionMnistSubset()
    {
        manual_seed(1);
        using var model = new TinyNet(1, 10, width: 8);
        var data = FashionSubset(512, train: false);
        var loader = new DataLoader(data, 32, shuffle: true, seed: 1, workers: 1);
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.1, WeightDecay = 5e-4 };
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
        manual_seed(2);
        using var model = new TinyNet(3, 2);
        var reports = new List<EpochReport>();
        new TrainingLoop(model, new DataLoader(dataset, 8, shuffle: true, seed: 2, workers: 2), null,
            new TrainingOptions { Epochs = 4, LearningRate = 0.05 }, observer: new Recorder(reports)).Run();
        Assert.True(reports[^1].Train.Loss < reports[0].Train.Loss, $"loss {reports[0].Train.Loss} -> {reports[^1].Train.Loss}");
        Assert.Equal(24, reports[0].Train.Samples);
    }

    // Two state dicts with the same keys in the same order and values within 1e-6.
    private static void AssertClose(IReadOnlyList<KeyValuePair<string, Tensor>> expected, IReadOnlyList<KeyValuePair<string, Tensor>> actual)
    {
        Assert.Equal(expected.Select(e => e.Key), actual.Select(e => e.Key));
        for (var i = 0; i < expected.Count; i++)
        {
            var a = expected[i].Value.to(float64).data<double>().ToArray();
            var b = actual[i].Value.to(float64).data<double>().ToArray();
            for (var j = 0; j < a.Length; j++) Assert.True(Math.Abs(a[j] - b[j]) <= 1e-6, $"{expected[i].Key}[{j}]: {a[j]} vs {b[j]}");
        }
    }

    [Fact]
    public void AModelWithAnInferenceFormIsValidatedThroughIt()
    {
        var (data, validation) = (new SyntheticDataset(32, 3, 1, 8, 8, seed: 3), new SyntheticDataset(30, 3, 1, 8, 8, seed: 4));
        manual_seed(5);
        using var model = new TinyNetWithForm();
        var reports = new List<EpochReport>();
        new TrainingLoop(model, new DataLoader(data, 16, true), new DataLoader(validation, 16, false),
            new TrainingOptions { Epochs = 2, MemoryFormat = MemoryFormat.Nhwc }, observer: new Recorder(reports)).Run();

        // The form answers class 0 for every image, so validation scores the share of class 0, whatever the weights learnt.
        var classZero = 100.0 * Enumerable.Range(0, validation.Count).Count(i => validation.LabelOf(i) == 0) / validation.Count;
        Assert.All(reports, r => Assert.Equal(classZero, r.Validation!.Top1, 9));
        Assert.Equal([(Precision.Float32, MemoryFormat.Nhwc), (Precision.Float32, MemoryFormat.Nhwc)], model.Built);
        Assert.Equal(2, model.Disposed);
    }

    /// <summary>TinyNet with an inference form that answers class 0 and counts what was built and disposed.</summary>
    private sealed class TinyNetWithForm() : nn.Module<Tensor, Tensor>(nameof(TinyNetWithForm)), IHasInferenceForm
    {
        private readonly TinyNet net = new(1, 3);
        public List<(Precision, MemoryFormat)> Built { get; } = [];
        public int Disposed { get; set; }

        public override Tensor forward(Tensor input) => net.call(input);

        public nn.Module<Tensor, Tensor> ForInference(Precision precision, MemoryFormat format)
        {
            Built.Add((precision, format));
            return new ClassZero(this);
        }

        private sealed class ClassZero(TinyNetWithForm owner) : nn.Module<Tensor, Tensor>(nameof(ClassZero))
        {
            public override Tensor forward(Tensor input) =>
                nn.functional.one_hot(zeros(input.shape[0], ScalarType.Int64), 3).to(ScalarType.Float32) * 10;

            protected override void Dispose(bool disposing)
            {
                if (disposing) owner.Disposed++;
                base.Dispose(disposing);
            }
        }
    }

    [Fact]
    public void AnAverageOfTheWeightsIsValidatedEachEpochAndSaved()
    {
        using var temp = new TempFolder();
        var (data, validation) = (new SyntheticDataset(64, 3, 1, 8, 8, seed: 1), new SyntheticDataset(40, 3, 1, 8, 8, seed: 1));
        manual_seed(4);
        using var model = new TinyNet(1, 3);
        var reports = new List<EpochReport>();
        new TrainingLoop(model, new DataLoader(data, 16, true), new DataLoader(validation, 16, false),
            new TrainingOptions { Epochs = 2, Ema = 0.9, LogFolder = temp.Path, Architecture = "tiny" }, observer: new Recorder(reports)).Run();

        Assert.All(reports, r => Assert.Equal(40, r.EmaValidation?.Samples));
        using var checkpoint = TrainingCheckpoint.Load(temp.Combine(TrainingLoop.CheckpointFileName));
        Assert.Equal(8L, checkpoint.EmaUpdates);
        Assert.Equal(PyTorchStateDict.Of(model).Select(e => e.Key), checkpoint.EmaStateDict!.Select(e => e.Key));
        // The saved average, evaluated in a model of its own, scores what the loop reported for it; the live weights remain the model's.
        using var averaged = new TinyNet(1, 3);
        StateDictLoader.Load(averaged, checkpoint.EmaStateDict!, strict: true, checkpoint.FilePath);
        var scored = Evaluator.Evaluate(averaged, new DataLoader(validation, 16, false), CPU);
        Assert.Equal((reports[^1].EmaValidation!.Loss, reports[^1].EmaValidation!.Top1), (scored.Loss, scored.Top1));
        AssertClose(checkpoint.StateDict, PyTorchStateDict.Of(model));
        Assert.NotEqual(AllValues(checkpoint.StateDict), AllValues(checkpoint.EmaStateDict!));

        // Without --ema nothing is averaged, reported or saved.
        var plain = new List<EpochReport>();
        new TrainingLoop(model, new DataLoader(data, 16, true), new DataLoader(validation, 16, false),
            new TrainingOptions { Epochs = 1, LogFolder = temp.Combine("plain") }, observer: new Recorder(plain)).Run();
        Assert.Null(Assert.Single(plain).EmaValidation);
        using var plainCheckpoint = TrainingCheckpoint.Load(temp.Combine("plain", TrainingLoop.CheckpointFileName));
        Assert.Null(plainCheckpoint.EmaStateDict);
    }

    [Fact]
    public void ResumingWithOrWithoutAnAverageTheCheckpointLacksOrHoldsSaysSo()
    {
        using var temp = new TempFolder();
        var data = new SyntheticDataset(32, 3, 1, 8, 8);
        using var model = new TinyNet(1, 3);
        // Each run trains one epoch more than the checkpoint it resumes.
        List<string> Resume(string from, string to, int epochs, double ema)
        {
            var warnings = new List<string>();
            new TrainingLoop(model, new DataLoader(data, 16, true), null,
                new TrainingOptions { Epochs = epochs, LogFolder = temp.Combine(to), Architecture = "tiny", Ema = ema }, observer: new Warnings(warnings))
                .Run(from is "" ? null : temp.Combine(from, TrainingLoop.CheckpointFileName));
            return warnings;
        }
        Assert.Empty(Resume("", "plain", epochs: 1, ema: 0));
        Assert.Contains(Resume("plain", "averaged", epochs: 2, ema: 0.9), w => w.Contains("has no moving average of the weights; the average starts from its weights"));
        using (var averaged = TrainingCheckpoint.Load(temp.Combine("averaged", TrainingLoop.CheckpointFileName)))
            Assert.Equal(2L, averaged.EmaUpdates);
        Assert.Contains(Resume("averaged", "dropped", epochs: 3, ema: 0), w => w.Contains("holds a moving average of the weights; without --ema it is not continued"));
    }

    private static double[] AllValues(IReadOnlyList<KeyValuePair<string, Tensor>> entries) =>
        [.. entries.SelectMany(e => e.Value.to(float64).data<double>().ToArray())];

    [Fact]
    public void ResumingAfterOneEpochEqualsTwoEpochsStraight()
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            using var temp = new TempFolder();
            var data = FashionSubset(256, train: true);
            var validation = FashionSubset(64, train: false);
            manual_seed(5);
            using var initial = new TinyNet(1, 10);
            // With an average of the weights, which the resumed run must continue exactly too.
            TrainingOptions Options(string folder) => new()
            { Epochs = 2, LearningRate = 0.05, WeightDecay = 1e-4, LogFolder = folder, Architecture = "tiny", Ema = 0.99 };
            DataLoader Loader() => new(data, 32, shuffle: true, seed: 9, workers: 2);
            DataLoader Val() => new(validation, 32, shuffle: false, workers: 1);

            using var straight = new TinyNet(1, 10);
            straight.load_state_dict(initial.state_dict());
            new TrainingLoop(straight, Loader(), Val(), Options(temp.Combine("a"))).Run();

            using var first = new TinyNet(1, 10);
            first.load_state_dict(initial.state_dict());
            using var stop = new CancellationTokenSource();
            Assert.Throws<OperationCanceledException>(() =>
                new TrainingLoop(first, Loader(), Val(), Options(temp.Combine("b")), observer: new CancelAfterEpoch(stop)).Run(cancel: stop.Token));

            manual_seed(123);
            using var resumed = new TinyNet(1, 10);
            var result = new TrainingLoop(resumed, Loader(), Val(), Options(temp.Combine("b")))
                .Run(resumeFrom: temp.Combine("b", TrainingLoop.CheckpointFileName));
            Assert.Equal(1, result.EpochsRun);

            AssertClose(straight.state_dict().ToList(), resumed.state_dict().ToList());
            Assert.True(File.Exists(temp.Combine("b", TrainingLoop.BestFileName)));
            using var straightEnd = TrainingCheckpoint.Load(temp.Combine("a", TrainingLoop.CheckpointFileName));
            using var resumedEnd = TrainingCheckpoint.Load(temp.Combine("b", TrainingLoop.CheckpointFileName));
            Assert.Equal((16L, 16L), (straightEnd.EmaUpdates, resumedEnd.EmaUpdates));
            AssertClose(straightEnd.EmaStateDict!, resumedEnd.EmaStateDict!);
            // Sixteen updates in, the average is far from the weights: the comparison above can fail.
            Assert.True(AllValues(straightEnd.EmaStateDict!).Zip(AllValues(straightEnd.StateDict)).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void AStepwiseScheduleSetsTheRateOfEveryStep()
    {
        using var temp = new TempFolder();
        var data = new SyntheticDataset(64, 3, 1, 8, 8);
        using var model = new TinyNet(1, 3);
        var schedule = new WarmupCosineSchedule(0.1, TotalEpochs: 2, WarmupEpochs: 0.5);
        var reports = new List<EpochReport>();
        new TrainingLoop(model, new DataLoader(data, 16, true), null,
            new TrainingOptions { Epochs = 2, Schedule = schedule, LogFolder = temp.Path }, observer: new Recorder(reports)).Run();

        // Four steps an epoch: the saved optimizer holds the rate of the last one, 1.75 epochs in.
        using var checkpoint = TrainingCheckpoint.Load(temp.Combine(TrainingLoop.CheckpointFileName));
        Assert.Equal(schedule.At(1.75), checkpoint.Optimizer!.ParamGroups[0].LearningRate, 12);
        Assert.Equal("warmup-cosine", checkpoint.Progress.ScheduleName);
        Assert.Equal([schedule.At(0), schedule.At(1)], reports.Select(r => r.LearningRate));
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
    public void AFailedCopyOfTheBestCheckpointWarnsAndTrainingGoesOn()
    {
        using var temp = new TempFolder();
        // A folder where model_best goes: the copy cannot replace it.
        Directory.CreateDirectory(temp.Combine(TrainingLoop.BestFileName));
        var warnings = new List<string>();
        using var model = new TinyNet(1, 3);
        var result = new TrainingLoop(model, new DataLoader(new SyntheticDataset(32, 3, 1, 8, 8), 16, true), null,
            new TrainingOptions { Epochs = 2, LogFolder = temp.Path, Architecture = "tiny" }, observer: new Warnings(warnings)).Run();

        Assert.Equal(2, result.EpochsRun);
        Assert.Contains(warnings, w => w.Contains(TrainingLoop.BestFileName) && w.Contains("training goes on"));
        using var checkpoint = TrainingCheckpoint.Load(temp.Combine(TrainingLoop.CheckpointFileName));
        Assert.Equal(2, checkpoint.Progress.Epoch);
    }

    [Fact]
    public void WorkersThatAllocateHeavilyDoNotLetACollectionRunWithinAStep()
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            var data = new SyntheticDataset(256, 3, 1, 8, 8, seed: 6);
            double[] Train(IImageDataset dataset)
            {
                manual_seed(8);
                using var model = new TinyNet(1, 3);
                var reports = new List<EpochReport>();
                new TrainingLoop(model, new DataLoader(dataset, 16, shuffle: true, seed: 3, workers: 2), null,
                    new TrainingOptions { Epochs = 2, LearningRate = 0.05, Precision = Precision.Float32, MemoryFormat = MemoryFormat.Nchw },
                    observer: new SlowSteps(reports)).Run();
                return [.. reports.Select(r => r.Train.Loss)];
            }

            var expected = Train(data);
            var interrupted = CollectorPause.Interrupted;
            // 8 MB per sample: the workers alone would use up a 64 MB pause within one step.
            var actual = Train(new AllocatingDataset(data, 8 << 20));
            Assert.Equal(interrupted, CollectorPause.Interrupted);
            Assert.Equal(expected, actual);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    // Steps that last long enough for the workers to build batches meanwhile, as a large model's do.
    private sealed class SlowSteps(List<EpochReport> reports) : ITrainingObserver
    {
        public void StepCompleted(StepProgress progress) => Thread.Sleep(30);
        public void EpochCompleted(EpochReport report) => reports.Add(report);
    }

    // Allocates (and touches) a buffer per sample, as decoding a large image does.
    private sealed class AllocatingDataset(IImageDataset inner, int bytesPerSample) : WrappedDataset(inner)
    {
        public override void Load(int index, SplitMix64 random, Span<float> destination)
        {
            var buffer = new byte[bytesPerSample];
            buffer.AsSpan().Fill((byte)index);
            base.Load(index, random, destination);
            destination[0] += buffer[^1] * 0f;
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
