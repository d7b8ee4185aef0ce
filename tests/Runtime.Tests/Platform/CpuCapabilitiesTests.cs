namespace Dsl.Runtime.Tests.Platform;

public sealed class CpuCapabilitiesTests
{
    private const string Zen3 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel name\t: AMD EPYC\n"
        + "flags\t\t: fpu sse2 ssse3 fma sse4_2 avx f16c avx2 bmi2\n\nprocessor\t: 1\nmodel name\t: other\n";
    private const string SapphireRapids = "cpu family\t: 6\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\n"
        + "flags\t\t: fpu avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_fp16 amx_bf16 amx_tile avx_vnni\n";
    private const string Zen4 = "cpu family\t: 25\nmodel name\t: AMD EPYC 9R14\nflags\t\t: avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16\n";

    [Fact]
    public void AnAvx2OnlyCpuHasNoOneDnnBFloat16AndSaysWhatItLacks()
    {
        var cpu = CpuCapabilities.Parse(Zen3, cap: null);

        Assert.False(cpu.OneDnnBFloat16);
        Assert.False(cpu.NativeBFloat16);
        Assert.Equal("avx512bw/vl/dq or avx_ne_convert", cpu.MissingForOneDnnBFloat16);
        Assert.Equal("AMD EPYC (family 25): avx2 fma; bf16 emulated (no avx512bw/vl/dq)", cpu.Describe());
        Assert.Null(cpu.OneDnnIsaLimit);
    }

    [Theory]
    [InlineData(SapphireRapids, true, true, "bf16 native (avx512_bf16, amx_bf16)")]
    [InlineData(Zen4, true, true, "bf16 native (avx512_bf16)")]
    [InlineData("flags\t: avx2 fma avx512f avx512bw avx512vl avx512dq\n", true, false, "bf16 emulated by oneDNN (no avx512_bf16 or amx_bf16)")]
    [InlineData("flags\t: avx2 fma avx512f avx512bw avx512vl\n", false, false, "bf16 emulated (no avx512dq)")]
    [InlineData("flags\t: avx2 fma avx_vnni avx_ne_convert\n", true, false, "bf16 emulated by oneDNN (no avx512_bf16 or amx_bf16)")]
    [InlineData("flags\t: avx2 fma amx_bf16\n", false, false, "(no avx512bw/vl/dq)")]
    public void TheBFloat16PathsFollowLibTorchsRule(string cpuinfo, bool oneDnn, bool native, string words)
    {
        var cpu = CpuCapabilities.Parse(cpuinfo, cap: null);

        Assert.Equal(oneDnn, cpu.OneDnnBFloat16);
        Assert.Equal(native, cpu.NativeBFloat16);
        Assert.Contains(words, cpu.Describe());
    }

    [Fact]
    public void ACapHidesWhatTheSmallerCpuLacksAndHoldsOneDnnToIt()
    {
        var avx2 = CpuCapabilities.Parse(SapphireRapids, "AVX2");
        Assert.Equal("avx2", avx2.Cap);
        Assert.False(avx2.OneDnnBFloat16);
        Assert.False(avx2.Has("avx_vnni"));
        Assert.True(avx2.Has("avx2"));
        Assert.Equal("AVX2", avx2.OneDnnIsaLimit);
        Assert.StartsWith("Intel(R) Xeon(R) Platinum 8480+ (family 6), seen as avx2 (DSL_CPU=avx2): avx2 fma; bf16 emulated", avx2.Describe());

        var avx512 = CpuCapabilities.Parse(SapphireRapids, "avx512");
        Assert.True(avx512.OneDnnBFloat16);
        Assert.False(avx512.NativeBFloat16);
        Assert.Equal("AVX512_CORE", avx512.OneDnnIsaLimit);

        Assert.Null(CpuCapabilities.Parse(SapphireRapids, "native").Cap);
        Assert.True(CpuCapabilities.Parse(SapphireRapids, "native").NativeBFloat16);
    }

    [Fact]
    public void AnUnknownCapIsRefusedNamingTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CpuCapabilities.Parse(Zen3, "sse2"));
        Assert.Contains("DSL_CPU='sse2'", error.Message);
    }

    [Fact]
    public void AnEmptyCpuinfoIsACpuWithoutOptionalFeatures()
    {
        var cpu = CpuCapabilities.Parse("", cap: null);
        Assert.Equal("unknown CPU: no AVX2; bf16 emulated (no avx512bw/vl/dq)", cpu.Describe());
    }

    [Fact]
    public void ThisProcessSeesItsCapAndOneDnnIsHeldToIt()
    {
        TorchRuntime.EnsureLoaded();
        var cpu = CpuCapabilities.Current;
        var cap = Environment.GetEnvironmentVariable(CpuCapabilities.Variable);
        Assert.Equal(cap is null or "" or "native" ? null : cap.ToLowerInvariant(), cpu.Cap);
        if (cpu.OneDnnIsaLimit is { } isa) Assert.Equal(isa, Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"));
        Assert.StartsWith($"cpu: {cpu.Describe()}; oneDNN {(OneDnn.Enabled ? "on" : "off")} (", TorchRuntime.Summary);
    }
}
