namespace Dsl.Runtime.Tests.Support;

/// <summary>Files that are not what their names say, and a time limit for code that a bug would make wait forever.</summary>
internal static class HostileFiles
{
    /// <summary>Makes a FIFO at <paramref name="path"/> with coreutils' mkfifo: opening it to read waits for a writer.</summary>
    public static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("cannot start mkfifo");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed: {error}");
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a pool thread and fails if it takes longer than <paramref name="seconds"/>;
    /// then the FIFOs it may be stuck on get a writer, so the stuck thread ends instead of outliving the test.
    /// </summary>
    public static T WithinSeconds<T>(double seconds, Func<T> action, params string[] fifos)
    {
        var clock = Stopwatch.StartNew();
        var run = Task.Run(action);
        if (Task.WaitAny([run], TimeSpan.FromSeconds(seconds)) < 0)
        {
            foreach (var fifo in fifos) _ = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose());
            Assert.Fail($"still running after {clock.Elapsed.TotalSeconds:F0} s");
        }
        return run.GetAwaiter().GetResult();
    }
}
