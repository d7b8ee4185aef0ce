using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// Starts N ranks of a program on this machine, as <c>torchrun --nproc_per_node N</c>: each child gets RANK,
/// LOCAL_RANK, WORLD_SIZE, MASTER_ADDR=127.0.0.1 and a free MASTER_PORT; their output lines are relayed with
/// a <c>[rank k]</c> prefix. When a rank exits with a non-zero code the others are killed and that code is
/// returned; when all succeed the result is 0.
/// </summary>
public static class LocalLauncher
{
    /// <summary>Re-runs the current program (same executable, or the same dll under the dotnet host) with <paramref name="args"/> in N ranks.</summary>
    /// <remarks>
    /// The ranks see WORLD_SIZE in their environment (<see cref="DistributedEnvironment.IsLaunched"/>) and must train
    /// instead of launching again; calling this from a rank is an error.
    /// </remarks>
    public static int Run(int nproc, string[] args)
    {
        if (DistributedEnvironment.IsLaunched)
            throw new InvalidOperationException(
                $"this process is already a rank of a launched job ({DistributedEnvironment.WorldSizeVariable} is set); it must not launch ranks itself");
        return Run(nproc, CurrentProgram(args), Console.Out);
    }

    /// <summary>Runs <paramref name="command"/> (program and arguments) in N ranks, relaying output to <paramref name="output"/>.</summary>
    public static int Run(int nproc, IReadOnlyList<string> command, TextWriter output,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (nproc < 1) throw new ArgumentOutOfRangeException(nameof(nproc), $"the number of processes must be at least 1, got {nproc}");
        if (command.Count == 0) throw new ArgumentException("no program to launch", nameof(command));
        var port = FreePort.Pick();
        var gate = new object();
        var processes = new List<Process>();
        var failure = new TaskCompletionSource<(int Rank, int Code)>(TaskCreationOptions.RunContinuationsAsynchronously);

        void Relay(int rank, string? line)
        {
            if (line is null) return;
            lock (gate) output.WriteLine($"[rank {rank}] {line}");
        }

        // Signal handlers call this from another thread while ranks may still be starting.
        void KillAll()
        {
            lock (processes)
            {
                foreach (var process in processes)
                {
                    try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
                    catch (InvalidOperationException) { /* it exited meanwhile */ }
                }
            }
        }

        // Ctrl+C or a termination request to the launcher ends the ranks too, as torchrun does.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll());
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll());
        try
        {
            var exits = new List<Task>();
            for (var rank = 0; rank < nproc; rank++)
            {
                var info = new ProcessStartInfo(command[0])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (var argument in command.Skip(1)) info.ArgumentList.Add(argument);
                if (environment is not null)
                    foreach (var (key, value) in environment) info.Environment[key] = value;
                info.Environment[DistributedEnvironment.RankVariable] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
                info.Environment[DistributedEnvironment.LocalRankVariable] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
                info.Environment[DistributedEnvironment.WorldSizeVariable] = nproc.ToString(System.Globalization.CultureInfo.InvariantCulture);
                info.Environment[DistributedEnvironment.MasterAddressVariable] = "127.0.0.1";
                info.Environment[DistributedEnvironment.MasterPortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                // As torchrun: ranks share the cores instead of each starting one thread per core.
                if (!info.Environment.ContainsKey("OMP_NUM_THREADS") || string.IsNullOrEmpty(info.Environment["OMP_NUM_THREADS"]))
                    info.Environment["OMP_NUM_THREADS"] = Math.Max(1, Environment.ProcessorCount / nproc).ToString(System.Globalization.CultureInfo.InvariantCulture);

                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                var current = rank;
                process.OutputDataReceived += (_, e) => Relay(current, e.Data);
                process.ErrorDataReceived += (_, e) => Relay(current, e.Data);
                try
                {
                    process.Start();
                }
                catch (System.ComponentModel.Win32Exception e)
                {
                    KillAll();
                    throw new InvalidOperationException($"could not start rank {rank} ('{command[0]}'): {e.Message}", e);
                }
                lock (processes) processes.Add(process);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                exits.Add(WatchAsync(process, current, failure));
            }

            var all = Task.WhenAll(exits);
            Task.WaitAny(all, failure.Task);
            if (failure.Task.IsCompleted)
            {
                var (rank, code) = FirstFailure(processes) ?? failure.Task.Result;
                KillAll();
                foreach (var process in processes) process.WaitForExit();
                lock (gate) output.WriteLine($"[launcher] rank {rank} exited with code {code}; stopped the other ranks");
                return code;
            }
            return 0;
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }

    // The rank that failed first is the cause; the others often fail only because it went away.
    private static (int Rank, int Code)? FirstFailure(IReadOnlyList<Process> processes)
    {
        (int Rank, int Code, DateTime At)? first = null;
        for (var rank = 0; rank < processes.Count; rank++)
        {
            var process = processes[rank];
            if (!process.HasExited || process.ExitCode == 0) continue;
            if (first is null || process.ExitTime < first.Value.At) first = (rank, process.ExitCode, process.ExitTime);
        }
        return first is null ? null : (first.Value.Rank, first.Value.Code);
    }

    private static async Task WatchAsync(Process process, int rank, TaskCompletionSource<(int Rank, int Code)> failure)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        // The parameterless wait also drains the redirected output.
        process.WaitForExit();
        if (process.ExitCode != 0) failure.TrySetResult((rank, process.ExitCode));
    }

    /// <summary>The command line that starts this program again with other arguments.</summary>
    public static IReadOnlyList<string> CurrentProgram(IEnumerable<string> args)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running program is unknown");
        var command = new List<string> { executable };
        // Under "dotnet app.dll" the host is the process; the application is the entry assembly.
        if (Path.GetFileNameWithoutExtension(executable).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var entry = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(entry)) throw new InvalidOperationException("the entry assembly of the running program is unknown");
            command.Add(entry);
        }
        command.AddRange(args);
        return command;
    }
}
