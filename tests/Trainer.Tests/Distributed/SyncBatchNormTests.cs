using Xunit;
using Dsl.Runtime;
using Dsl.Runtime.Distributed;
using Dsl.Runtime.Optim;

namespace Dsl.Trainer.Tests.Distributed;

public sealed class SyncBatchNormTests
{
    private const int Batch = 3;

    private static (float[] Input, long[] Target)[] Data(ulong seed)
    {
        Torch.ManualSeed(seed);
        using var scope = new TensorScope();
        // Shifted and scaled so that per-rank and global statistics clearly differ.
        return Enumerable.Range(0, 2).Select(r =>
            (Tensor.Randn([Batch, 3, 8, 8]).Mul(1 + 2 * r).Add(3 * r).ToArray<float>(), new long[] { r, 2 * r + 1, 5 })).ToArray();
    }

    /// <summary>One training step of each rank; returns the weights, buffers and conv1's gradient.</summary>
    private static float[][] TrainRanks(TinyNorm norm, bool sync, (float[] Input, long[] Target)[] data, List<KeyValuePair<string, Tensor>> start) =>
        RankThreads.Run(2, group =>
        {
            using var model = new TinyConvNet(norm);
            model.LoadStateDict(start);
            var parallel = new DistributedDataParallel(model, group, syncBatchNorm: sync, broadcastBuffers: false);
            using var optimizer = new Sgd(model, 0.1);
            using var scope = new TensorScope();
            var (input, target) = data[group.Rank];
            var loss = Functional.CrossEntropy(model.Forward(Tensor.FromArray(input, Batch, 3, 8, 8)), Tensor.FromArray(target, Batch));
            loss.Backward();
            parallel.SynchronizeGradients();
            var gradient = model.NamedParameters().First(p => p.Name == "conv1.weight").Tensor.Grad!.ToArray<float>();
            optimizer.Step();
            return Flatten(model, gradient);
        });

    private static float[] Flatten(TinyConvNet model, float[] gradient) =>
        model.StateDict().Where(e => e.Value.DType == DType.Float32).SelectMany(e => e.Value.ToArray<float>()).Concat(gradient).ToArray();

    [Fact]
    public void TwoSynchronizedRanksMatchOneBatchNormOverBothBatches()
    {
        var data = Data(21);
        Torch.ManualSeed(3);
        using var reference = new TinyConvNet(TinyNorm.BatchNorm);
        var start = reference.StateDict().Select(e => new KeyValuePair<string, Tensor>(e.Key, TensorScope.Detach(e.Value.Clone()))).ToList();
        try
        {
            var synced = TrainRanks(TinyNorm.SyncBatchNorm, sync: true, data, start)
                .Concat(TrainRanks(TinyNorm.BatchNorm, sync: true, data, start)).ToArray();
            var perRank = TrainRanks(TinyNorm.SyncBatchNorm, sync: false, data, start);

            float[] expected;
            using (var optimizer = new Sgd(reference, 0.1))
            using (var scope = new TensorScope())
            {
                var input = Tensor.FromArray<float>([.. data[0].Input, .. data[1].Input], 2 * Batch, 3, 8, 8);
                var loss = Functional.CrossEntropy(reference.Forward(input), Tensor.FromArray<long>([.. data[0].Target, .. data[1].Target], 2 * Batch));
                loss.Backward();
                var gradient = reference.NamedParameters().First(p => p.Name == "conv1.weight").Tensor.Grad!.ToArray<float>();
                optimizer.Step();
                expected = Flatten(reference, gradient);
            }

            // Weights, running statistics (both ranks saw the global batch) and the gradient through BN's backward.
            foreach (var rank in synced)
            {
                var worst = expected.Zip(rank, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(worst < 1e-5, $"synchronized batch norm differs from one batch of 2B by {worst}");
            }
            // Per-rank statistics are a different computation: the comparison above can fail.
            Assert.True(expected.Zip(perRank[0], (a, b) => Math.Abs(a - b)).Max() > 1e-3);
        }
        finally
        {
            foreach (var entry in start) entry.Value.Dispose();
        }
    }
}

public sealed class SyncBatchNormConversionTests
{
    [Fact]
    public void FromCopiesTheLayerAndActsAsBatchNormWithoutAGroup()
    {
        using var source = new Dsl.Runtime.Nn.BatchNorm2d(4, eps: 1e-3, momentum: 0.2);
        using var scope = new TensorScope();
        source.Forward(Tensor.Randn([3, 4, 5, 5]).Add(2));
        using var sync = SyncBatchNorm2d.From(source);
        Assert.Equal((1e-3, 0.2), (sync.Eps, sync.Momentum));
        Assert.Equal(source.StateDict().Select(e => e.Key), sync.StateDict().Select(e => e.Key));
        Assert.Equal(source.RunningMean.ToArray<float>(), sync.RunningMean.ToArray<float>());
        var input = Tensor.Randn([2, 4, 3, 3]);
        Assert.Equal(source.Forward(input).ToArray<float>(), sync.Forward(input).ToArray<float>());
        Assert.Equal(source.RunningVar.ToArray<float>(), sync.RunningVar.ToArray<float>());
    }
}
