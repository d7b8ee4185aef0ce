using System.Globalization;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>
/// How far the process's resident memory rose while an action ran (Linux): the kernel's peak (VmHWM) is reset
/// through /proc/self/clear_refs just before, so the peak measured is this action's, not an earlier test's.
/// The assembly's tests run one at a time, so nothing else allocates meanwhile.
/// </summary>
internal static class PeakMemory
{
    public const long Megabyte = 1024 * 1024;

    /// <summary>The peak resident bytes during the action above the resident bytes before it; what it throws is returned.</summary>
    public static (long Growth, Exception? Error) During(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = Read("VmRSS:");
        File.WriteAllText("/proc/self/clear_refs", "5");
        var error = Record.Exception(action);
        return (Read("VmHWM:") - before, error);
    }

    private static long Read(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
