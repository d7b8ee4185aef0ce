using System.Runtime.InteropServices;

namespace Dsl.Runtime.Platform;

/// <summary>Signals to other processes; .NET's <see cref="System.Diagnostics.Process.Kill()"/> sends only SIGKILL, which gives a process no chance to end its children.</summary>
internal static partial class NativeProcess
{
    private const int SigTerm = 15;

    /// <summary>Asks the process to end (SIGTERM), as a terminal's kill does; false where it is gone or not ours.</summary>
    public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
