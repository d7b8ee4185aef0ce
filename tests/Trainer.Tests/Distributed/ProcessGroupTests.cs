using Xunit;
using Dsl.Runtime;
using Dsl.Runtime.Distributed;

namespace Dsl.Trainer.Tests.Distributed;

public sealed class ProcessGroupTests
{
    [Fact]
    public void AllReduceSumsListsAndBuckets()
    {
        var results = RankThreads.Run(2, group =>
        {
            using var scope = new TensorScope();
            var r = group.Rank + 1;
            var a = Tensor.FromArray(new float[] { r, 2 * r, 3 * r }, 3);
            var b = Tensor.FromArray(new double[] { 10 * r, 20 * r, 30 * r, 40 * r }, 2, 2);
            group.AllReduceSum([a, b]);
            var flat = Tensor.FromArray(new float[] { r }, 1);
            group.AllReduceSum(flat);
            return (a.ToArray<float>(), b.ToArray<double>(), flat.ToArray<float>());
        });
        foreach (var (a, b, flat) in results)
        {
            Assert.Equal(new float[] { 3, 6, 9 }, a);
            Assert.Equal(new double[] { 30, 60, 90, 120 }, b);
            Assert.Equal(new float[] { 3 }, flat);
        }
    }

    [Fact]
    public void BroadcastTakesTheRootsValuesAndBarrierReturns()
    {
        var results = RankThreads.Run(2, group =>
        {
            using var scope = new TensorScope();
            var x = Tensor.Full([4], group.Rank + 5.0);
            var n = Tensor.Full([2], group.Rank * 7.0, DType.Int64);
            group.Broadcast([x, n], root: 1);
            group.Barrier();
            return (x.ToArray<float>(), n.ToArray<long>(), group.IsMaster);
        });
        Assert.All(results, r => Assert.Equal(new float[] { 6, 6, 6, 6 }, r.Item1));
        Assert.All(results, r => Assert.Equal(new long[] { 7, 7 }, r.Item2));
        Assert.Equal([true, false], results.Select(r => r.Item3));
    }

    [Fact]
    public void MetricsAreSummedAcrossRanks()
    {
        var sums = RankThreads.Run(2, group => DistributedContext.FromGroup(group).SumAcrossRanks(group.Rank + 0.5, 10));
        Assert.All(sums, s => Assert.Equal(new[] { 2.0, 20.0 }, s));
        Assert.Equal(new[] { 1.5 }, DistributedContext.Single().SumAcrossRanks(1.5));
    }

    [Fact]
    public void NcclOnACpuLibtorchIsAClearError()
    {
        if (DistributedBackends.NcclCompiled) return;
        var error = Assert.Throws<TorchException>(() =>
            ProcessGroup.Create(DistributedBackend.Nccl, 0, 1, "127.0.0.1", FreePort.Pick(), TimeSpan.FromSeconds(5)));
        Assert.Contains("nccl backend needs a CUDA libtorch", error.Message);
    }

    [Fact]
    public void BadArgumentsNameTheProblem()
    {
        Assert.Throws<ArgumentException>(() => DistributedBackends.Parse("mpi"));
        var error = Assert.Throws<ArgumentException>(() =>
            ProcessGroup.Create(DistributedBackend.Gloo, 2, 2, "127.0.0.1", 29999));
        Assert.Contains("RANK 2 is outside 0..1", error.Message);
    }

    [Fact]
    public void AMissingPeerIsATimeoutNotAHang()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<TorchException>(() =>
            ProcessGroup.Create(DistributedBackend.Gloo, 0, 2, "127.0.0.1", FreePort.Pick(), TimeSpan.FromSeconds(2)));
        Assert.Contains("as rank 0 of 2 failed", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }
}

public sealed class DistributedEnvironmentTests
{
    private static DistributedEnvironment Read(params (string Name, string Value)[] variables) =>
        DistributedEnvironment.Read(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void ReadsTorchrunsVariables()
    {
        var environment = Read(("RANK", "1"), ("WORLD_SIZE", "4"), ("LOCAL_RANK", "0"), ("MASTER_ADDR", "10.0.0.2"), ("MASTER_PORT", "29500"));
        Assert.Equal(new DistributedEnvironment(1, 4, 0, "10.0.0.2", 29500), environment);
        Assert.Equal(DistributedEnvironment.Single, Read());
    }

    [Fact]
    public void MissingOrMalformedVariablesAreNamed()
    {
        Assert.Contains("RANK is not set", Assert.Throws<InvalidOperationException>(() => Read(("WORLD_SIZE", "2"))).Message);
        Assert.Contains("MASTER_PORT='x' is not an integer", Assert.Throws<InvalidOperationException>(() =>
            Read(("WORLD_SIZE", "2"), ("RANK", "0"), ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", "x"))).Message);
        Assert.Contains("RANK 5 is outside 0..1", Assert.Throws<ArgumentException>(() =>
            Read(("WORLD_SIZE", "2"), ("RANK", "5"), ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", "29500"))).Message);
    }
}
