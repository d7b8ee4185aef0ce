using System.Runtime.InteropServices;

namespace Dsl.Runtime.Platform;

/// <summary>Whether a device runs bfloat16 convolutions natively, and how that was found out.</summary>
public static partial class BFloat16Hardware
{
    /// <summary>CUDA devices of compute capability 8.0 (Ampere) and later have bfloat16 tensor cores.</summary>
    public const int MinimumCudaMajor = 8;

    /// <summary>Native bfloat16 on <paramref name="device"/>, with the evidence in words.</summary>
    public static (bool Native, string Evidence) Probe(Device device) => device.type switch
    {
        DeviceType.CPU => ProbeCpu(),
        DeviceType.CUDA => ProbeCuda(device.index < 0 ? 0 : device.index),
        _ => (false, $"no bfloat16 probe for {device.type} devices"),
    };

    private static (bool, string) ProbeCpu()
    {
        var cpu = CpuCapabilities.Current;
        if (cpu.NativeBFloat16) return (true, $"the CPU has {string.Join(" and ", cpu.NativeBFloat16Flags)}");
        return (false, cpu.OneDnnBFloat16
            ? "the CPU has neither amx_bf16 nor avx512_bf16, so bfloat16 would be emulated"
            : $"the CPU has no {cpu.MissingForOneDnnBFloat16}, so bfloat16 would run libtorch's own, slow kernels");
    }

    private static (bool, string) ProbeCuda(int ordinal)
    {
        try
        {
            Check(CudaDriver.cuInit(0), "cuInit");
            Check(CudaDriver.cuDeviceGet(out var handle, ordinal), "cuDeviceGet");
            Check(CudaDriver.cuDeviceGetAttribute(out var major, CudaDriver.ComputeCapabilityMajor, handle), "cuDeviceGetAttribute");
            Check(CudaDriver.cuDeviceGetAttribute(out var minor, CudaDriver.ComputeCapabilityMinor, handle), "cuDeviceGetAttribute");
            var capability = $"cuda:{ordinal} has compute capability {major}.{minor}";
            return major >= MinimumCudaMajor ? (true, capability) : (false, $"{capability}, below {MinimumCudaMajor}.0");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return (false, $"the compute capability of cuda:{ordinal} could not be read ({e.Message})");
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0) throw new InvalidOperationException($"{call} returned CUDA error {result}");
    }

    /// <summary>The CUDA driver API, which every CUDA installation has; TorchSharp does not expose device capabilities.</summary>
    private static partial class CudaDriver
    {
        public const int ComputeCapabilityMajor = 75;
        public const int ComputeCapabilityMinor = 76;
        private const string Library = "libcuda.so.1";

        [LibraryImport(Library)]
        public static partial int cuInit(uint flags);

        [LibraryImport(Library)]
        public static partial int cuDeviceGet(out int device, int ordinal);

        [LibraryImport(Library)]
        public static partial int cuDeviceGetAttribute(out int value, int attribute, int device);
    }
}
