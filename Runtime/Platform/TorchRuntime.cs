using System.Runtime.InteropServices;

namespace Dsl.Runtime.Platform;

/// <summary>
/// Loads libtorch through TorchSharp once and, where that fails, says why and what fixes it: TorchSharp's
/// own message blames a missing package even when the library is present but cannot be linked.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<bool> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The copy of TorchSharp's native library that this process loads.</summary>
    public static string NativeLibraryPath =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>
    /// Initializes libtorch on the CPU, tunes malloc for tensors (<see cref="NativeHeap"/>) and decides whether it
    /// may use oneDNN (<see cref="OneDnn"/>); throws
    /// <see cref="TorchRuntimeException"/> with the cause when it cannot load.
    /// </summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    private static bool Load()
    {
        try
        {
            // oneDNN reads its instruction-set limit once, at its first primitive: a capped CPU (DSL_CPU) sets it first.
            if (CpuCapabilities.Current.OneDnnIsaLimit is { } isa) NativeEnvironment.SetDefault("ONEDNN_MAX_CPU_ISA", isa);
            torch.InitializeDeviceType(DeviceType.CPU);
            NativeHeap.Configure();
            // libtorch considers NNPACK for float32 convolutions oneDNN does not take and, where NNPACK cannot
            // initialize (an AMD EPYC: "Unsupported hardware"), warns each time: hundreds of lines a training step.
            if (!LibTorchContext.NnpackAvailable()) LibTorchContext.DisableNnpack();
            OneDnn.Configure();
            return true;
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            throw new TorchRuntimeException(Explain(NativeLibraryPath) ?? $"TorchSharp could not load libtorch: {e.GetBaseException().Message}", e);
        }
    }

    /// <summary>
    /// The platform in one line, for the start of a run: the CPU (<see cref="CpuCapabilities"/>) and whether oneDNN is on,
    /// for example "cpu: AMD EPYC (family 25): avx2 fma; bf16 emulated (no avx512bw/vl/dq); oneDNN on (checked)".
    /// </summary>
    public static string Summary
    {
        get
        {
            EnsureLoaded();
            return $"cpu: {CpuCapabilities.Current.Describe()}; oneDNN {OneDnn.Status}";
        }
    }

    /// <summary>Why the native library at <paramref name="path"/> does not link here, or null when it links.</summary>
    public static string? Explain(string path)
    {
        if (!File.Exists(path))
            return $"{path} is missing: reference the TorchSharp and libtorch-cpu-linux-x64 packages (Dsl.Runtime brings both) and build the project.";
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e) when (e.Message.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal))
        {
            return $"{path} needs GLIBCXX_3.4.32 (GCC 13's libstdc++), which this system's libstdc++ lacks. "
                + "The build marks that one requirement weak in the copy it puts in the output folder (Dsl.Runtime.targets); "
                + "build with 'dotnet build' so the step runs, or install GCC 13's libstdc++.";
        }
        catch (DllNotFoundException e)
        {
            return $"{path} could not be loaded: {e.Message}";
        }
    }
}

/// <summary>libtorch could not be loaded in this process; the message names the cause and the fix.</summary>
public sealed class TorchRuntimeException(string message, Exception inner) : Exception(message, inner);
