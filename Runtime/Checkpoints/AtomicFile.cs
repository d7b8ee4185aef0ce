using System.Diagnostics;
using System.Globalization;
using Dsl.Runtime.Platform;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same folder, is flushed to
/// disk, and is then renamed over the target, and the folder is flushed too, so a crash or a full disk never
/// leaves a half-written file and a power loss never brings the old one back. A temporary is named
/// <c>.&lt;target&gt;.tmp-&lt;pid&gt;-&lt;n&gt;</c>; one whose process is gone (killed before it could clean up) is
/// removed by the next write of the same target.
/// </summary>
internal static class AtomicFile
{
    private const string TemporaryMark = ".tmp-";
    private static int sequence;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the previous file is unchanged.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        var temporary = Path.Combine(folder, TemporaryPrefix(fullPath) +
            $"{Environment.ProcessId}-{Interlocked.Increment(ref sequence)}");
        try
        {
            Directory.CreateDirectory(folder);
            RemoveStaleTemporaries(fullPath);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temporary);
            if (e is CheckpointException) throw;
            throw new CheckpointException(path, $"could not be written ({e.GetType().Name}: {e.Message}); any previous file there is unchanged", e);
        }
        FlushFolder(path, folder);
    }

    /// <summary>Copies <paramref name="source"/> over <paramref name="target"/> with the same guarantee as <see cref="Write"/>.</summary>
    public static void Copy(string source, string target) =>
        Write(target, output =>
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
            input.CopyTo(output);
        });

    private static string TemporaryPrefix(string fullPath) => "." + Path.GetFileName(fullPath) + TemporaryMark;

    // Temporaries of this target whose writer has died; a live writer's (this process's included) are left alone.
    private static void RemoveStaleTemporaries(string fullPath)
    {
        var prefix = TemporaryPrefix(fullPath);
        foreach (var candidate in Directory.EnumerateFiles(Path.GetDirectoryName(fullPath)!))
        {
            var name = Path.GetFileName(candidate.AsSpan());
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = name[prefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash > 0 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
                TryDelete(candidate);
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // The rename is in place; only its durability is at stake, so the error says so.
    private static void FlushFolder(string path, string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            using var handle = NativeFile.OpenDirectory(folder);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"was written, but its folder could not be flushed to disk ({e.Message})", e);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
