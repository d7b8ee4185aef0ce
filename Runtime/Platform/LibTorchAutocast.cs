using System.Runtime.InteropServices;

namespace Dsl.Runtime.Platform;

/// <summary>
/// libtorch's own autocast (what <c>torch.autocast(device, torch.bfloat16)</c> switches), which TorchSharp 0.107 does
/// not bind: the state is the calling thread's, and inside a region every operator on libtorch's lower-precision list
/// (convolutions, linear layers, matrix products) casts its inputs to the region's type at the dispatcher, inside the
/// autograd graph, so gradients reach float32 weights. Regions switch the CPU and CUDA devices alike.
/// </summary>
public static partial class LibTorchAutocast
{
    // c10::DeviceType::CPU and CUDA.
    private static readonly sbyte[] Devices = [0, 1];

    /// <summary>Whether autocast is on for the CPU on this thread.</summary>
    public static bool Enabled
    {
        get
        {
            TorchRuntime.EnsureLoaded();
            return IsEnabled(Devices[0]);
        }
    }

    /// <summary>The type a region computes in on this thread (meaningful while <see cref="Enabled"/>).</summary>
    public static ScalarType DType => (ScalarType)GetDType(Devices[0]);

    /// <summary>Turns autocast on in <paramref name="type"/> for this thread until disposed, as <c>torch.autocast.__enter__</c> does.</summary>
    public static IDisposable Enter(ScalarType type) => new Region(type, enabled: true);

    /// <summary>Turns autocast off for this thread until disposed, inside a region (<c>torch.autocast(enabled=False)</c>).</summary>
    public static IDisposable Suspend() => new Region(Enabled ? DType : ScalarType.BFloat16, enabled: false);

    private sealed class Region : IDisposable
    {
        private readonly bool[] wasEnabled;
        private readonly sbyte[] previousType;
        private bool disposed;

        public Region(ScalarType type, bool enabled)
        {
            TorchRuntime.EnsureLoaded();
            wasEnabled = [.. Devices.Select(IsEnabled)];
            previousType = [.. Devices.Select(GetDType)];
            foreach (var device in Devices)
            {
                SetDType(device, (sbyte)type);
                SetEnabled(device, enabled);
            }
            IncrementNesting();
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            // Casts of weights are cached while any region is open; the outermost one frees them.
            if (DecrementNesting() == 0) ClearCache();
            for (var i = 0; i < Devices.Length; i++)
            {
                SetEnabled(Devices[i], wasEnabled[i]);
                SetDType(Devices[i], previousType[i]);
            }
        }
    }

    private const string Library = "libtorch_cpu";

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool IsEnabled(sbyte device);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb")]
    private static partial void SetEnabled(sbyte device, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE")]
    private static partial sbyte GetDType(sbyte device);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE")]
    private static partial void SetDType(sbyte device, sbyte type);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast17increment_nestingEv")]
    private static partial int IncrementNesting();

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast17decrement_nestingEv")]
    private static partial int DecrementNesting();

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast11clear_cacheEv")]
    private static partial void ClearCache();
}
