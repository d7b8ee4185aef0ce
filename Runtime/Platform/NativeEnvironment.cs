using System.Runtime.InteropServices;

namespace Dsl.Runtime.Platform;

/// <summary>
/// The C library's environment, which native libraries read (oneDNN's <c>ONEDNN_*</c> settings). .NET keeps a copy of
/// its own on Linux: <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach <c>getenv</c>.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> for native code and for .NET, unless it is set already.</summary>
    public static void SetDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is not null) return;
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsLinux() && SetEnv(name, value, overwrite: 0) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
