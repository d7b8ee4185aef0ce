using Dsl.Runtime.MixedPrecision;
using Dsl.Runtime.Training;
using static TorchSharp.torch;

namespace Dsl.Runtime.Tests.MixedPrecision;

public sealed class PrecisionChoiceTests
{
    [Theory]
    [InlineData("flags\t\t: fpu sse2 avx512f avx512_bf16 amx_tile", true, "avx512_bf16")]
    [InlineData("flags\t\t: fpu avx512f amx_bf16 amx_tile avx512_bf16", true, "amx_bf16 and avx512_bf16")]
    [InlineData("flags\t\t: fpu sse2 avx2 avx512f avx512_fp16", false, "neither")]
    public void CpuFlagsDecideNativeBFloat16(string flags, bool native, string evidence)
    {
        var verdict = BFloat16Hardware.FromCpuFlags(flags);
        Assert.Equal(native, verdict.Native);
        Assert.Contains(evidence, verdict.Evidence);
    }

    [Fact]
    public void ExplicitModesAreTakenAsAsked()
    {
        Assert.False(PrecisionChoice.Resolve(PrecisionMode.Float32, CPU).BFloat16);
        var bf16 = PrecisionChoice.Resolve(PrecisionMode.BFloat16, CPU);
        Assert.True(bf16.BFloat16);
        Assert.Equal("precision bf16 (bfloat16 was asked for)", bf16.ToString());
    }

    [Fact]
    public void AutoOnThisCpuFollowsItsFlagsWhileOneDnnIsOn()
    {
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal));
        var (native, evidence) = BFloat16Hardware.FromCpuFlags(flags);
        var choice = PrecisionChoice.Resolve(PrecisionMode.Auto, CPU);
        // libtorch's own bfloat16 convolutions are slower than float32: without oneDNN, auto keeps float32.
        Assert.Equal(native && OneDnn.Enabled, choice.BFloat16);
        Assert.Contains(evidence, choice.Reason);
    }
}
