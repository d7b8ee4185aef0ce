using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Tests.Modules;

public class NamingTests
{
    [Fact]
    public void ParameterBufferAndStateDictNamesAreExactlyPyTorchs()
    {
        using var net = new TinyNet();
        Assert.Equal(TinyNet.PyTorchParameterNames, net.NamedParameters().Select(p => p.Name));
        Assert.Equal(TinyNet.PyTorchBufferNames, net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(TinyNet.PyTorchStateDictKeys, net.StateDict().Select(e => e.Key));
    }

    [Fact]
    public void StateDictHoldsTheLiveTensors()
    {
        using var net = new TinyNet();
        var entries = net.StateDict().ToDictionary(e => e.Key, e => e.Value);
        Assert.Same(net.Layer1[0].Conv2.Weight, entries["layer1.0.conv2.weight"]);
        Assert.Same(net.Layer1[0].Downsample![2] is BatchNorm2d bn ? bn.RunningVar : null, entries["layer1.0.downsample.2.running_var"]);
        Assert.Equal(DType.Int64, entries["bn1.num_batches_tracked"].DType);
        Assert.Empty(entries["bn1.num_batches_tracked"].Shape);
    }

    [Fact]
    public void NamedModulesWalkDepthFirstAndSkipNullEntries()
    {
        using var net = new TinyNet();
        var names = net.NamedModules().Select(m => m.Name).ToList();
        Assert.Equal("", names[0]);
        Assert.Contains("layer1.0.downsample.0", names);
        Assert.Contains("branches.2", names);
        Assert.DoesNotContain("branches.1", names);
        Assert.DoesNotContain("layer1.1.downsample", names);
        Assert.True(names.IndexOf("layer1.0.relu") < names.IndexOf("layer1.0.downsample"));
        Assert.Equal(3, net.Branches.Count);
        Assert.Null(net.Branches[1]);
    }

    [Fact]
    public void ParameterCountMatchesTheShapes()
    {
        using var net = new TinyNet();
        // conv1 36, bn1 8, block0 32+16+576+16+32+16, block1 64+16+576+16, branches 72+16, fc 27, temperature 1.
        Assert.Equal(36 + 8 + 688 + 672 + 88 + 27 + 1, net.ParameterCount());
    }

    [Fact]
    public void DuplicateNamesAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new DuplicateNames());
        Assert.Contains("'weight' is already registered", error.Message);
    }

    private sealed class DuplicateNames : Module
    {
        public DuplicateNames()
        {
            RegisterParameter("weight", Tensor.Zeros([1]));
            RegisterBuffer("weight", Tensor.Zeros([1]));
        }
    }
}
