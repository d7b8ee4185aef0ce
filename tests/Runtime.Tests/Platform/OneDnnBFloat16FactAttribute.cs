namespace Dsl.Runtime.Tests.Platform;

/// <summary>A test of oneDNN's own bfloat16 kernels: skipped, naming what is missing, on a CPU (or under a <c>DSL_CPU</c> cap) without them.</summary>
public sealed class OneDnnBFloat16FactAttribute : FactAttribute
{
    public OneDnnBFloat16FactAttribute()
    {
        var cpu = CpuCapabilities.Current;
        if (cpu.MissingForOneDnnBFloat16 is { } missing)
            Skip = $"oneDNN's bfloat16 convolution needs {missing}, which {cpu.Model}{(cpu.Cap is null ? "" : $" seen as {cpu.Cap}")} lacks";
    }
}
