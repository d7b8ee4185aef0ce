using System.Runtime.InteropServices;

namespace Dsl.Runtime.Tests.Support;

/// <summary>The process's resident set size, read from /proc/self/status (Linux).</summary>
internal static partial class ResidentMemory
{
    public static long Bytes() => Status("VmRSS:");

    /// <summary>The most resident memory since the process started or since <see cref="ResetPeak"/>.</summary>
    public static long PeakBytes() => Status("VmHWM:");

    /// <summary>Starts <see cref="PeakBytes"/> again from the present resident size.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Status(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var kilobytes = long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return kilobytes * 1024;
        }
        throw new InvalidOperationException($"/proc/self/status has no {key} line");
    }

    /// <summary>
    /// RSS after a full managed collection (so finalizer-freed native memory is counted out) and after glibc has
    /// returned its free pages to the system: its per-thread arenas otherwise keep freed blocks resident, by an
    /// amount that depends on how the compute threads were scheduled, which is not a leak.
    /// </summary>
    public static long BytesAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        MallocTrim(0);
        return Bytes();
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    public const long Megabyte = 1024 * 1024;
}
