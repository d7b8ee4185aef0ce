using BatchNorm2d = TorchSharp.Modules.BatchNorm2d;

namespace Dsl.Runtime.Tests.Training;

public sealed class MixedPrecisionTrainingTests
{
    private static InMemoryImageDataset FashionSubset(int count) =>
        FashionMnist.Load(FashionMnist.DefaultFolder, train: false, FashionMnist.EvalTransform()).Take(count);

    [Fact]
    public void BFloat16TrainingLowersTheLossAndKeepsWeightsAndStatisticsFloat32()
    {
        using var oneThread = new OneComputeThread();
        manual_seed(11);
        using var model = new BLResNetSmall();
        using var before = model.Bn1.running_mean!.clone();
        var reports = new List<EpochReport>();
        var notes = new List<string>();
        var options = new TrainingOptions { Epochs = 3, LearningRate = 0.1, WeightDecay = 5e-4, Precision = Precision.BFloat16 };
        new TrainingLoop(model, new DataLoader(FashionSubset(256), 32, shuffle: true, seed: 3, workers: 1), null, options,
            new Recorder(reports, notes)).Run();

        Assert.Contains("precision bf16 (bfloat16 was asked for)", notes);
        Assert.True(reports[2].Train.Loss < reports[0].Train.Loss - 0.2, $"loss {reports[0].Train.Loss} -> {reports[2].Train.Loss}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        foreach (var norm in model.modules().OfType<BatchNorm2d>())
        {
            Assert.Equal(ScalarType.Float32, norm.running_mean!.dtype);
            Assert.Equal(ScalarType.Float32, norm.running_var!.dtype);
        }
        Assert.False(model.Bn1.running_mean.equal(before).all().item<bool>());
    }

    [Fact]
    public void Float32TrainingIsThePlainStepBitForBit()
    {
        using var oneThread = new OneComputeThread();
        var data = FashionSubset(96);
        manual_seed(12);
        using var looped = new BLResNetSmall();
        using var plain = new BLResNetSmall();
        plain.load_state_dict(looped.state_dict());
        var options = new TrainingOptions { Epochs = 1, LearningRate = 0.05, WeightDecay = 1e-4, Precision = Precision.Float32 };
        new TrainingLoop(looped, new DataLoader(data, 32, shuffle: false, workers: 1), null, options).Run();

        plain.train();
        // The loop's optimizer; FusedSgdTests holds it to TorchSharp's SGD.
        using var sgd = new FusedSgd(plain.parameters(), 0.05, 0.9, dampening: 0, 1e-4, nesterov: true);
        foreach (var batch in new DataLoader(data, 32, shuffle: false, workers: 1).Epoch(0))
        {
            using var step = batch;
            using var scope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(plain.call(batch.Images), batch.Labels);
            sgd.zero_grad();
            loss.backward();
            sgd.step();
        }

        var expected = plain.state_dict();
        foreach (var (key, value) in looped.state_dict())
            Assert.True(value.equal(expected[key]).all().item<bool>(), $"{key} differs from the plain float32 step");
    }

    private sealed class Recorder(List<EpochReport> reports, List<string> notes) : ITrainingObserver
    {
        public void EpochCompleted(EpochReport report) => reports.Add(report);
        public void Note(string message) => notes.Add(message);
    }
}
