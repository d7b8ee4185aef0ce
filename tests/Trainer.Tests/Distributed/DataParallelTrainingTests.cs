using Xunit;
using Dsl.Runtime;
using Dsl.Runtime.Distributed;
using Dsl.Runtime.Nn;
using Dsl.Runtime.Optim;

namespace Dsl.Trainer.Tests.Distributed;

public sealed class DataParallelTrainingTests
{
    private const int Steps = 3;
    private const int Batch = 4;

    /// <summary>Per-rank, per-step inputs (N, 3, 8, 8) and labels, made up front so that threads share no random state.</summary>
    private static (float[] Input, long[] Target)[][] Data(int ranks, ulong seed)
    {
        Torch.ManualSeed(seed);
        using var scope = new TensorScope();
        return Enumerable.Range(0, ranks).Select(_ => Enumerable.Range(0, Steps).Select(_ =>
            (Tensor.Randn([Batch, 3, 8, 8]).ToArray<float>(),
             Tensor.Rand([Batch]).Mul(10).To(DType.Int64).ToArray<long>())).ToArray()).ToArray();
    }

    private static void Step(Module<Tensor, Tensor> model, Sgd optimizer, DistributedDataParallel? parallel, float[] input, long[] target, int count)
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(input, count, 3, 8, 8);
        var y = Tensor.FromArray(target, count);
        var loss = Functional.CrossEntropy(model.Forward(x), y);
        optimizer.ZeroGrad();
        loss.Backward();
        parallel?.SynchronizeGradients();
        optimizer.Step();
    }

    private static byte[] StateBytes(Module model) => model.StateDict().SelectMany(e => e.Value.ToBytes()).ToArray();

    private static float[] Parameters(Module model) => model.Parameters().SelectMany(p => p.ToArray<float>()).ToArray();

    [Fact]
    public void EveryRankHoldsBitIdenticalWeightsAfterEveryStep()
    {
        var data = Data(2, 11);
        var results = RankThreads.Run(2, group =>
        {
            using var model = new TinyConvNet(TinyNorm.BatchNorm);
            var initial = StateBytes(model);
            // A small bucket budget splits the parameters over several buckets.
            var parallel = new DistributedDataParallel(model, group, bucketBytes: 2048);
            using var optimizer = new Sgd(model, 0.1, momentum: 0.9);
            var states = new List<byte[]> { StateBytes(model) };
            foreach (var (input, target) in data[group.Rank])
            {
                Step(model, optimizer, parallel, input, target, Batch);
                states.Add(StateBytes(model));
            }
            return (initial, states, parallel.BucketSizes.Count);
        });
        var (rank0, rank1) = (results[0], results[1]);
        Assert.NotEqual(rank0.initial, rank1.initial);
        Assert.True(rank0.Item3 > 1, "expected several buckets");
        for (var step = 0; step <= Steps; step++)
            Assert.True(rank0.states[step].AsSpan().SequenceEqual(rank1.states[step]), $"ranks differ after step {step}");
        Assert.NotEqual(rank0.states[0], rank0.states[Steps]);
    }

    [Fact]
    public void TwoRanksWithBatchBMatchOneProcessWithBatch2B()
    {
        var data = Data(2, 12);
        Torch.ManualSeed(5);
        using var reference = new TinyConvNet(TinyNorm.None);
        var start = reference.StateDict().Select(e => new KeyValuePair<string, Tensor>(e.Key, TensorScope.Detach(e.Value.Clone()))).ToList();

        var results = RankThreads.Run(2, group =>
        {
            using var model = new TinyConvNet(TinyNorm.None);
            model.LoadStateDict(start);
            var parallel = new DistributedDataParallel(model, group);
            using var optimizer = new Sgd(model, 0.1, momentum: 0.9);
            foreach (var (input, target) in data[group.Rank]) Step(model, optimizer, parallel, input, target, Batch);
            return Parameters(model);
        });

        using (var optimizer = new Sgd(reference, 0.1, momentum: 0.9))
            for (var step = 0; step < Steps; step++)
                Step(reference, optimizer, null, [.. data[0][step].Input, .. data[1][step].Input],
                    [.. data[0][step].Target, .. data[1][step].Target], 2 * Batch);
        var expected = Parameters(reference);
        var initial = start.Where(e => reference.NamedParameters().Any(p => p.Name == e.Key)).SelectMany(e => e.Value.ToArray<float>()).ToArray();
        foreach (var entry in start) entry.Value.Dispose();

        Assert.Equal(results[0], results[1]);
        var worst = expected.Zip(results[0], (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-5, $"largest difference from one process with batch 2B: {worst}");
        Assert.True(expected.Zip(initial, (a, b) => Math.Abs(a - b)).Max() > 1e-3, "training did not move the weights");
    }
}

public sealed class GradientAveragingTests
{
    [Fact]
    public void AMissingGradientCountsAsZeroOnEveryRank()
    {
        var results = RankThreads.Run(2, group =>
        {
            using var model = new TinyConvNet(TinyNorm.None);
            var parallel = new DistributedDataParallel(model, group);
            var weight = model.NamedParameters().First(p => p.Name == "fc.weight").Tensor;
            float[]? local = null;
            if (group.Rank == 0)
            {
                using var scope = new TensorScope();
                Functional.CrossEntropy(model.Forward(Tensor.Randn([2, 3, 8, 8])), Tensor.FromArray(new long[] { 1, 2 }, 2)).Backward();
                using var gradient = weight.Grad!;
                local = gradient.ToArray<float>();
            }
            parallel.SynchronizeGradients();
            using var averaged = weight.Grad!;
            return (local, averaged.ToArray<float>());
        });
        var expected = results[0].local!.Select(g => g / 2).ToArray();
        Assert.Equal(expected, results[0].Item2);
        Assert.Equal(expected, results[1].Item2);
        Assert.Contains(expected, g => g != 0);
    }
}
