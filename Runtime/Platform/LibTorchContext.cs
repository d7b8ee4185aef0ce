using System.Runtime.InteropServices;

namespace Dsl.Runtime.Platform;

/// <summary>
/// libtorch's global backend switches, which TorchSharp does not bind: at::globalContext() and the setters
/// behind torch.backends.mkldnn.enabled and torch.backends.nnpack.set_flags, called by their C++ names.
/// </summary>
internal static partial class LibTorchContext
{
    public static void UseOneDnn(bool enabled) => SetUserEnabledMkldnn(GlobalContext(), enabled);

    public static void DisableNnpack() => SetUserEnabledNnpack(GlobalContext(), false);

    /// <summary>Whether NNPACK initializes on this CPU (libtorch logs one warning when it does not).</summary>
    [LibraryImport(Library, EntryPoint = "_ZN2at6native17_nnpack_availableEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool NnpackAvailable();

    private const string Library = "libtorch_cpu";

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
