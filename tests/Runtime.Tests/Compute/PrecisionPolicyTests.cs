namespace Dsl.Runtime.Tests.Compute;

public sealed class PrecisionPolicyTests
{
    [Fact]
    public void ExplicitModesAreTakenAsAskedAndBFloat16WarnsWhereItIsSlow()
    {
        Assert.False(PrecisionPolicy.Resolve(Precision.Float32, CPU).IsBFloat16());
        var bf16 = PrecisionPolicy.Resolve(Precision.BFloat16, CPU);
        Assert.True(bf16.IsBFloat16());
        Assert.Equal("precision bf16 (bfloat16 was asked for)", bf16.ToString());
        if (CpuCapabilities.Current.OneDnnBFloat16)
            Assert.Null(bf16.Warning);
        else
            Assert.Equal("bf16 was asked for, but this CPU has no avx512bw/vl/dq or avx_ne_convert (oneDNN's bfloat16 convolution): "
                + "libtorch's own bfloat16 kernels run, slower than --precision fp32", bf16.Warning);
    }

    [Fact]
    public void AutoOnThisCpuTakesBFloat16OnlyWhereItIsNativeAndOneDnnIsOn()
    {
        var cpu = CpuCapabilities.Current;
        var choice = PrecisionPolicy.Resolve(Precision.Auto, CPU);
        // libtorch's own bfloat16 convolutions are slower than float32: without oneDNN, auto keeps float32.
        Assert.Equal(cpu.NativeBFloat16 && OneDnn.Enabled, choice.IsBFloat16());
        Assert.Null(choice.Warning);
        Assert.Contains(cpu.NativeBFloat16 ? "the CPU has" : "float32 instead", choice.Reason);
    }
}
