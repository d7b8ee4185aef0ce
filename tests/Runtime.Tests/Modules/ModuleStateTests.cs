using Dsl.Runtime.Nn;
using Dsl.Runtime.Optim;
using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Modules;

public class ModuleStateTests
{
    [Fact]
    public void TrainAndEvalReachEveryDescendant()
    {
        using var net = new TinyNet();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training, m.Name));
        net.Eval();
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.Training, m.Name));
        Assert.False(net.Branches[2]!.Training);
        Assert.False(net.Layer1[0].Downsample![2].Training);
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training, m.Name));
        net.Layer1.Eval();
        Assert.True(net.Training);
        Assert.False(net.Layer1[1].Bn1.Training);
    }

    [Fact]
    public void EvalForwardLeavesRunningStatisticsAlone()
    {
        using var scope = new TensorScope();
        using var net = new TinyNet();
        var input = TestData.Tensor64(200, 2, 1, 8, 8).To(DType.Float32);
        net.Eval();
        var before = net.StateDict().Select(e => e.Value.ToBytes()).ToList();
        net.Forward(input);
        Assert.Equal(before, net.StateDict().Select(e => e.Value.ToBytes()));
        net.Train();
        net.Forward(input);
        Assert.Equal(1, net.Bn1.NumBatchesTracked.ToArray<long>().Single());
        Assert.NotEqual(before[5], net.Bn1.RunningMean.ToBytes());
    }

    [Fact]
    public void ToCpuKeepsReferencesAndValues()
    {
        using var net = new TinyNet();
        var weight = net.Layer1[0].Conv1.Weight;
        var values = weight.ToArray<float>();
        net.To(Device.Cpu);
        Assert.Same(weight, net.Layer1[0].Conv1.Weight);
        Assert.False(weight.IsDisposed);
        Assert.True(weight.RequiresGrad);
        Assert.Equal(values, weight.ToArray<float>());
        if (Torch.CudaDeviceCount == 0)
            Assert.Throws<InvalidOperationException>(() => net.To(Device.Cuda()));
    }

    [Fact]
    public void ToChannelsLastKeepsReferencesUsableByAnExistingOptimizer()
    {
        using var scope = new TensorScope();
        using var net = new TinyNet();
        using var sgd = new Sgd(net, 0.1);
        var conv = net.Layer1[0].Conv2.Weight;
        var linear = net.Fc.Weight;
        var convValues = conv.ToArray<float>();
        var linearValues = linear.ToArray<float>();

        net.ToChannelsLast();
        Assert.Same(conv, net.Layer1[0].Conv2.Weight);
        Assert.True(conv.IsChannelsLast);
        Assert.False(conv.IsContiguous);
        Assert.True(conv.RequiresGrad);
        Assert.Equal(convValues, conv.ToArray<float>());
        Assert.Equal(linearValues, linear.ToArray<float>());
        Assert.Same(conv, sgd.Parameters.Single(p => ReferenceEquals(p, conv)));

        var input = TestData.Tensor64(201, 2, 1, 8, 8).To(DType.Float32).ToChannelsLast();
        net.Forward(input).Sum().Backward();
        Assert.NotNull(conv.Grad);
        sgd.Step();
        Assert.NotEqual(convValues, conv.ToArray<float>());
    }

    [Fact]
    public void ZeroGradDropsEveryGradient()
    {
        using var scope = new TensorScope();
        using var net = new TinyNet();
        net.Forward(TestData.Tensor64(202, 2, 1, 6, 6).To(DType.Float32)).Sum().Backward();
        Assert.All(net.NamedParameters(), p => Assert.True(p.Tensor.Grad is not null, p.Name));
        net.ZeroGrad();
        Assert.All(net.NamedParameters(), p => Assert.True(p.Tensor.Grad is null, p.Name));
    }

    [Fact]
    public void DisposeFreesEveryOwnedTensor()
    {
        var net = new TinyNet();
        var owned = net.StateDict().Select(e => e.Value).ToList();
        net.Dispose();
        Assert.All(owned, t => Assert.True(t.IsDisposed));
        Assert.Throws<ObjectDisposedException>(() => owned[0].Shape);
    }
}
