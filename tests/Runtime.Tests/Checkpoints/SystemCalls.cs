using System.Globalization;
using System.Text.RegularExpressions;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>The file system calls this process makes while an action runs, as strace (attached to it) records them.</summary>
internal static class SystemCalls
{
    /// <summary>Runs <paramref name="action"/> under strace and returns its calls in order, each as strace writes it.</summary>
    public static List<string> Traced(string log, Action action)
    {
        var arguments = new[] { "-f", "-qq", "-e", "trace=openat,rename,renameat,renameat2,fsync", "-e", "signal=none", "-o", log,
            "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) };
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
        // Lines start with the thread id and pad the result into a column: "123 fsync(7)      = 0" becomes "fsync(7) = 0".
        return File.ReadLines(log).Select(line => Regex.Replace(line[(line.IndexOf(' ') + 1)..].TrimStart(), @"\s+= ", " = ")).ToList();
    }

    // strace has reached this thread, which is the one that runs the action.
    private static bool Traced() =>
        File.ReadLines("/proc/thread-self/status").Any(l => l.StartsWith("TracerPid:", StringComparison.Ordinal) && l.Split('\t')[1].Trim() != "0");
}
