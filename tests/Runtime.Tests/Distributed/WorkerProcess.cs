using System.Collections.Concurrent;
using Dsl.Runtime.Distributed;

namespace Dsl.Runtime.Tests.Distributed;

/// <summary>
/// Starts the worker console (Worker/Dsl.Distributed.Worker.csproj, built with this project) alone or as the ranks
/// of an mpirun job, collecting its output, and never waits longer than told.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private WorkerProcess(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["OMP_NUM_THREADS"] = "1";
        info.Environment["TERM"] = "dumb";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Dll
    {
        get
        {
            // bin/<Configuration>/<framework>/ of this test assembly mirrors the worker's.
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            var project = output.Parent.Parent!.Parent!.FullName;
            var path = Path.Combine(project, "Distributed", "Worker", "bin", configuration, framework, "Dsl.Distributed.Worker.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the worker was not built: {path} is missing", path);
        }
    }

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The command line that runs the worker with <paramref name="args"/>.</summary>
    public static string[] Command(params string[] args) => [DotnetHost, Dll, .. args];

    /// <summary>One worker process, not launched by mpirun: a single process.</summary>
    public static WorkerProcess Alone(params string[] args) => new(DotnetHost, [Dll, .. args]);

    /// <summary>N workers as the ranks of one mpirun job, with the launcher's arguments.</summary>
    public static WorkerProcess Ranks(int nproc, params string[] args) => new(LocalLauncher.Mpirun, LocalLauncher.Arguments(nproc, Command(args)));

    /// <summary>N workers as the ranks of one mpirun job, each with the variables of <paramref name="environment"/> set too.</summary>
    public static WorkerProcess Ranks(int nproc, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(LocalLauncher.Mpirun, LocalLauncher.Arguments(nproc, Command(args)), environment);

    public IReadOnlyList<string> Lines => [.. lines];

    public string Output => string.Join('\n', lines);

    public int ExitCode => process.ExitCode;

    /// <summary>Waits for the exit; kills the process tree and throws when it takes longer than <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the worker did not finish within {timeout.TotalSeconds} s; output:\n{Output}");
        }
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until a line contains <paramref name="text"/>; false after <paramref name="timeout"/> or once the process ended without it.</summary>
    public bool WaitForLine(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (lines.Any(line => line.Contains(text, StringComparison.Ordinal))) return true;
            if (process.HasExited) return lines.Any(line => line.Contains(text, StringComparison.Ordinal));
            Thread.Sleep(50);
        }
        return false;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
