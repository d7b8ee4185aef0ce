using Dsl.Runtime.Tests.Checkpoints;
using TrainingSteps = Dsl.Runtime.Tests.Checkpoints.Training;

namespace Dsl.Runtime.Tests.Training;

public sealed class WeightAverageTests
{
    private static List<double[]> Values(IEnumerable<KeyValuePair<string, Tensor>> entries) => [.. entries.Select(e => TensorValues.Doubles(e.Value))];

    [Fact]
    public void TheDecayWarmsUpTowardItsValue()
    {
        using var net = new SmallNet();
        using var slow = new WeightAverage(net, 0.999);
        Assert.Equal([0.1, 2 / 11.0, 0.25, 0.999], new[] { 0L, 1, 2, 100_000 }.Select(slow.DecayAt));
        using var fast = new WeightAverage(net, 0.15);
        Assert.Equal([0.1, 0.15, 0.15], new[] { 0L, 1, 2 }.Select(fast.DecayAt));
    }

    [Fact]
    public void EachUpdateMixesTheLiveWeightsInByOneMinusTheDecay()
    {
        using var net = SmallNet.WithReferenceWeights();
        using var sgd = TrainingSteps.Sgd(net);
        using var average = new WeightAverage(net, 0.999);
        var expected = Values(PyTorchStateDict.Of(net));
        var keys = PyTorchStateDict.Of(net).Select(e => e.Key).ToList();
        foreach (var decay in new[] { 0.1, 2 / 11.0, 0.25 })
        {
            TrainingSteps.Steps(net, sgd, first: (int)average.Updates, count: 1);
            average.Update(net);
            var live = Values(PyTorchStateDict.Of(net));
            for (var i = 0; i < expected.Count; i++)
                expected[i] = keys[i].EndsWith("num_batches_tracked")
                    ? live[i]
                    : [.. expected[i].Zip(live[i], (a, l) => decay * a + (1 - decay) * l)];
        }
        Assert.Equal(3, average.Updates);
        Assert.All(average.StateDict, e => Assert.False(e.Value.requires_grad, $"{e.Key} is in the autograd graph"));
        Assert.Equal(keys, average.StateDict.Select(e => e.Key));
        var actual = Values(average.StateDict);
        for (var i = 0; i < expected.Count; i++)
            for (var j = 0; j < expected[i].Length; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= 1e-6, $"{keys[i]}[{j}]: {actual[i][j]}, by hand {expected[i][j]}");
        // The integer buffer is copied, not averaged; the average is not the live weights, so the comparison above can fail.
        var tracked = average.StateDict.Single(e => e.Key == "bn1.num_batches_tracked").Value;
        Assert.Equal((ScalarType.Int64, 3L), (tracked.dtype, tracked.item<long>()));
        Assert.NotEqual(net.Snapshot(), SmallNet.Snapshot(average.StateDict));
    }

    [Fact]
    public void SwapExchangesTheWeightsAndApplyPutsTheLiveOnesBackExactly()
    {
        using var net = SmallNet.WithReferenceWeights();
        using var sgd = TrainingSteps.Sgd(net);
        using var average = new WeightAverage(net, 0.9);
        for (var step = 0; step < 2; step++)
        {
            TrainingSteps.Steps(net, sgd, first: step, count: 1);
            average.Update(net);
        }
        var (live, averaged) = (net.Snapshot(), SmallNet.Snapshot(average.StateDict));
        Assert.NotEqual(live, averaged);

        void Holds(List<string> model, List<string> inAverage)
        {
            Assert.Equal(model, net.Snapshot());
            Assert.Equal(inAverage, SmallNet.Snapshot(average.StateDict));
        }
        average.Swap(net);
        Holds(averaged, live);
        average.Swap(net);
        Holds(live, averaged);

        using (average.Apply(net)) Holds(averaged, live);
        Holds(live, averaged);
        // The parameters are still the model's own, still learning.
        Assert.True(net.ConvWeight.requires_grad);
        Assert.Same(net.ConvWeight, net.parameters().First());
    }

    [Fact]
    public void LoadTakesASavedAverageAndRefusesOneOfAnotherShapeChangingNothing()
    {
        using var net = SmallNet.WithReferenceWeights();
        using var sgd = TrainingSteps.Sgd(net);
        using var saved = new WeightAverage(net, 0.9);
        TrainingSteps.Steps(net, sgd, first: 0, count: 1);
        saved.Update(net);

        using var fresh = new WeightAverage(net, 0.9);
        var before = SmallNet.Snapshot(fresh.StateDict);
        using var wider = new SmallNet(width: 6);
        var error = Assert.Throws<ArgumentException>(() => fresh.Load(PyTorchStateDict.Of(wider), 5));
        Assert.Contains("'conv1.weight' has shape [6, 3, 3, 3], the model [4, 3, 3, 3]", error.Message);
        Assert.Contains("'fc.bias' is missing", Assert.Throws<ArgumentException>(() => fresh.Load(saved.StateDict.SkipLast(1).ToList(), 5)).Message);
        Assert.Equal(0L, fresh.Updates);
        Assert.Equal(before, SmallNet.Snapshot(fresh.StateDict));

        fresh.Load(saved.StateDict, saved.Updates);
        Assert.Equal(1L, fresh.Updates);
        Assert.Equal(SmallNet.Snapshot(saved.StateDict), SmallNet.Snapshot(fresh.StateDict));
        Assert.Throws<ArgumentException>(() => fresh.Update(wider));
    }
}
