using System.Runtime.InteropServices;

namespace Dsl.Runtime.Native;

/// <summary>Turns the shim's failure signals (a null handle, a -1 status) into managed exceptions.</summary>
internal static class Check
{
    internal static string LastError()
    {
        var message = Marshal.PtrToStringUTF8(NativeMethods.dsl_last_error());
        return string.IsNullOrEmpty(message) ? "libtorch reported an error without a message" : message;
    }

    internal static IntPtr Handle(IntPtr handle) =>
        handle == IntPtr.Zero ? throw new TorchException(LastError()) : handle;

    internal static void Status(int status)
    {
        if (status != 0) throw new TorchException(LastError());
    }
}
