using System.Runtime.InteropServices;

namespace Dsl.Runtime.Platform;

/// <summary>
/// Makes glibc's malloc keep the memory of freed tensors for the next ones. By default it gives a large block back
/// to the kernel when it is freed (mmap, then trimming the heap), so every batch allocates its activations as fresh
/// pages, and the kernel faults in and zeroes each page again: 11% of a bfloat16 bLResNet-50 evaluation's samples
/// on a 2-core AMD EPYC were page faults. A caching allocator (PyTorch's on GPUs, jemalloc) avoids that; libtorch's
/// CPU allocator is plain malloc, and no package tunes it from .NET, hence the two <c>mallopt</c> calls here.
/// </summary>
/// <remarks>
/// Blocks up to 32 MiB (glibc's ceiling for this setting) then come from the heap, and up to 1 GiB of free memory
/// stays at its top instead of being returned. Memory then stays at its peak rather than rising and falling with
/// each batch. Where glibc's own <c>MALLOC_*_</c> variables or malloc tunables are set, or where <c>DSL_MALLOC=default</c>,
/// nothing is changed; on other C libraries and systems, neither.
/// </remarks>
public static partial class NativeHeap
{
    public const string Variable = "DSL_MALLOC";

    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;
    private const int LargestHeapBlock = 32 << 20;
    private const int KeptAtTop = 1 << 30;

    /// <summary>Whether this process keeps freed blocks (set once, from <see cref="TorchRuntime.EnsureLoaded"/>).</summary>
    public static bool KeepsFreedMemory { get; private set; }

    internal static void Configure()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() == "default") return;
        if (SetByUser()) return;
        try
        {
            KeepsFreedMemory = SetOption(MmapThreshold, LargestHeapBlock) == 1 && SetOption(TrimThreshold, KeptAtTop) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its allocator has its own policy.
        }
    }

    /// <summary>Whether malloc was tuned at process start, by a <c>MALLOC_*_</c> variable or a glibc.malloc tunable.</summary>
    private static bool SetByUser() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Any(variable =>
            variable.Key is string name && (name.StartsWith("MALLOC_", StringComparison.Ordinal) && name.EndsWith('_')
                || name == "GLIBC_TUNABLES" && variable.Value is string value && value.Contains("glibc.malloc", StringComparison.Ordinal)));

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int SetOption(int option, int value);
}
