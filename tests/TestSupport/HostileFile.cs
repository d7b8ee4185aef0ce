using System.Diagnostics;
using Xunit;

namespace Dsl.TestSupport;

/// <summary>
/// Files made to be refused: whatever reads one must throw and name the file in what it throws, or skip it by name,
/// and end within seconds even where the file is a FIFO that blocks whoever opens it.
/// </summary>
public static class HostileFile
{
    /// <summary>
    /// Writes <paramref name="name"/> into a fresh temporary folder with <paramref name="write"/> and reads it with
    /// <paramref name="read"/>, which must throw a <typeparamref name="T"/> whose message holds the file's path.
    /// Returns the exception and that path; the folder is deleted by then.
    /// </summary>
    public static (T Error, string Path) Refused<T>(string name, Action<string> write, Action<string> read) where T : Exception
    {
        using var folder = new TempFolder();
        var path = folder.Combine(name);
        write(path);
        var error = Assert.Throws<T>(() => read(path));
        Assert.Contains(path, error.Message);
        return (error, path);
    }

    /// <summary><see cref="Refused{T}(string, Action{string}, Action{string})"/> for a file of the given bytes.</summary>
    public static (T Error, string Path) Refused<T>(string name, byte[] bytes, Action<string> read) where T : Exception =>
        Refused<T>(name, path => File.WriteAllBytes(path, bytes), read);

    /// <summary>Makes <paramref name="path"/> a sparse file of <paramref name="length"/> bytes: the length is there, the disk blocks are not.</summary>
    public static void Sparse(string path, long length)
    {
        using var file = File.Create(path);
        file.SetLength(length);
    }

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
