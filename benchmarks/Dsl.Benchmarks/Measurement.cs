using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Dsl.Benchmarks;

/// <summary>
/// Timings of one workload in milliseconds, per repeat: wall-clock time and the process's CPU time. On a
/// machine shared with other jobs, wall time swings with the load while CPU time mostly measures the work.
/// </summary>
public sealed partial record Measurement(IReadOnlyList<double> WallMs, IReadOnlyList<double> CpuMs)
{
    public double WallMedian => MedianOf(WallMs);
    public double CpuMedian => MedianOf(CpuMs);
    public double WallMin => WallMs.Min();
    public double WallMax => WallMs.Max();

    /// <summary>All samples of several rounds together.</summary>
    public static Measurement Pool(IEnumerable<Measurement> rounds)
    {
        var list = rounds.ToList();
        return new(list.SelectMany(r => r.WallMs).ToArray(), list.SelectMany(r => r.CpuMs).ToArray());
    }

    /// <summary>Runs the workload a few times untimed (allocator and kernel caches warm up), then times each repeat.</summary>
    public static Measurement Of(Action workload, int warmUp, int repeats)
    {
        for (var i = 0; i < warmUp; i++) workload();
        var wall = new double[repeats];
        var cpu = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var cpuStart = ProcessCpuMilliseconds();
            var watch = Stopwatch.StartNew();
            workload();
            wall[i] = watch.Elapsed.TotalMilliseconds;
            cpu[i] = ProcessCpuMilliseconds() - cpuStart;
        }
        return new Measurement(wall, cpu);
    }

    private static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // CLOCK_PROCESS_CPUTIME_ID, the clock Python's time.process_time() reads, so both sides use one clock.
    private const int ProcessCpuClock = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private static double ProcessCpuMilliseconds()
    {
        if (ClockGetTime(ProcessCpuClock, out var time) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        return time.Seconds * 1e3 + time.Nanoseconds / 1e6;
    }
}
