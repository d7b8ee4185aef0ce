using System.Globalization;
using System.Text.RegularExpressions;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>The file system calls the calling thread makes while an action runs, as strace (attached to the process) records them.</summary>
internal static class SystemCalls
{
    /// <summary>Runs <paramref name="action"/> under strace and returns the calling thread's calls in order, each as strace writes it.</summary>
    public static List<string> Traced(string log, Action action)
    {
        // -ff: one file per thread (log.TID), so the calls of tests running in parallel on other threads neither mix
        // with this thread's nor split its lines into "<unfinished ...>" and "<... resumed>" halves.
        var arguments = new[] { "-f", "-ff", "-qq", "-e", "trace=openat,rename,renameat,renameat2,fsync", "-e", "signal=none", "-o", log,
            "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) };
        var thread = ThreadId();
        using var strace = Process.Start(new ProcessStartInfo("strace", arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("cannot start strace");
        try
        {
            var clock = Stopwatch.StartNew();
            while (!Traced())
            {
                if (strace.HasExited) throw new InvalidOperationException("strace could not attach: " + strace.StandardError.ReadToEnd());
                if (clock.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException("strace did not attach within 20 s");
                Thread.Sleep(20);
            }
            action();
        }
        finally
        {
            // SIGINT: strace detaches and writes out its log.
            using (var interrupt = Process.Start("kill", ["-INT", strace.Id.ToString(CultureInfo.InvariantCulture)])) interrupt.WaitForExit();
            strace.WaitForExit();
        }
        // Results are padded into a column: "fsync(7)      = 0" becomes "fsync(7) = 0".
        return File.ReadLines($"{log}.{thread}").Select(line => Regex.Replace(line.TrimStart(), @"\s+= ", " = ")).ToList();
    }

    // The kernel's id of the calling thread: /proc/thread-self links to "PID/task/TID".
    private static string ThreadId() =>
        Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget ?? throw new InvalidOperationException("/proc/thread-self is no link"));

    // strace has reached this thread, which is the one that runs the action.
    private static bool Traced() =>
        File.ReadLines("/proc/thread-self/status").Any(l => l.StartsWith("TracerPid:", StringComparison.Ordinal) && l.Split('\t')[1].Trim() != "0");
}
