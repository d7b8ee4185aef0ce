using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Dsl.Runtime.Platform;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// Starts N ranks of a program on this machine through <c>mpirun -np N</c> (as <c>torchrun --nproc_per_node N</c>):
/// their output lines are relayed with a <c>[rank k]</c> prefix. When a rank fails, mpirun ends the others and
/// the launcher returns mpirun's non-zero exit code after saying so; when all succeed the result is 0.
/// </summary>
public static partial class LocalLauncher
{
    public const string Mpirun = "mpirun";

    /// <summary>Re-runs the current program (same executable, or the same dll under the dotnet host) with <paramref name="args"/> in N ranks.</summary>
    /// <remarks>The ranks see <see cref="DistributedEnvironment.IsLaunched"/> and must train instead of launching again.</remarks>
    public static int Run(int nproc, string[] args)
    {
        if (DistributedEnvironment.IsLaunched)
            throw new DistributedException(
                $"this process is already a rank of a launched job ({DistributedEnvironment.WorldSizeVariable} is set); it must not launch ranks itself");
        return Run(nproc, CurrentProgram(args), Console.Out);
    }

    /// <summary>Runs <paramref name="command"/> (program and arguments) in N ranks, relaying output to <paramref name="output"/>.</summary>
    public static int Run(int nproc, IReadOnlyList<string> command, TextWriter output)
    {
        var info = new ProcessStartInfo(Mpirun)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(nproc, command)) info.ArgumentList.Add(argument);
        // As torchrun: ranks share the cores instead of each starting one thread per core.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
            info.Environment["OMP_NUM_THREADS"] = Math.Max(1, Environment.ProcessorCount / nproc).ToString(CultureInfo.InvariantCulture);

        var gate = new Lock();
        void Relay(string? line)
        {
            if (line is null) return;
            lock (gate) output.WriteLine(Untag(line));
        }

        using var mpirun = new Process { StartInfo = info };
        mpirun.OutputDataReceived += (_, e) => Relay(e.Data);
        mpirun.ErrorDataReceived += (_, e) => Relay(e.Data);
        try
        {
            mpirun.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DistributedException($"could not start {Mpirun} ({e.Message}); install the openmpi-bin package", e);
        }
        // A terminal's Ctrl+C reaches mpirun too; a termination request to the launcher alone is passed on, so mpirun ends the ranks.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _ = NativeProcess.Terminate(mpirun.Id);
        });
        mpirun.BeginOutputReadLine();
        mpirun.BeginErrorReadLine();
        mpirun.WaitForExit();
        if (mpirun.ExitCode != 0)
            lock (gate) output.WriteLine($"[launcher] a rank failed: {Mpirun} exited with code {mpirun.ExitCode} and ended the other ranks (its messages above name the rank)");
        return mpirun.ExitCode;
    }

    /// <summary>mpirun's arguments for N local ranks of <paramref name="command"/>.</summary>
    public static IReadOnlyList<string> Arguments(int nproc, IReadOnlyList<string> command)
    {
        if (nproc < 1) throw new ArgumentOutOfRangeException(nameof(nproc), $"the number of processes must be at least 1, got {nproc}");
        if (command.Count == 0) throw new ArgumentException("no program to launch", nameof(command));
        var arguments = new List<string> { "-np", nproc.ToString(CultureInfo.InvariantCulture) };
        // Open MPI refuses root unless asked; containers and CI machines often run as root.
        if (Environment.UserName == "root") arguments.Add("--allow-run-as-root");
        arguments.AddRange([
            // More ranks than cores is allowed, as with torchrun; ranks are not pinned to one core each, since each runs several threads.
            "--oversubscribe", "--bind-to", "none",
            "--tag-output",
            "-x", "OMP_NUM_THREADS",
            .. command,
        ]);
        return arguments;
    }

    /// <summary>The command line that starts this program again with other arguments.</summary>
    public static IReadOnlyList<string> CurrentProgram(IEnumerable<string> args)
    {
        var executable = Environment.ProcessPath ?? throw new DistributedException("the path of the running program is unknown");
        var command = new List<string> { executable };
        // Under "dotnet app.dll" the host is the process; the application is the entry assembly.
        if (Path.GetFileNameWithoutExtension(executable).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var entry = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(entry)) throw new DistributedException("the entry assembly of the running program is unknown");
            command.Add(entry);
        }
        command.AddRange(args);
        return command;
    }

    /// <summary>
    /// One line of mpirun's output as "[rank k] text". Ranks write through mpirun's pseudo-terminal, so .NET's console
    /// first writes terminal control sequences with no line end; mpirun tags those pieces too, and the next rank's
    /// line follows on the same line. The text is the line without tags and control sequences, of the last tag's rank.
    /// </summary>
    internal static string Untag(string line)
    {
        var tags = Tag().Matches(line);
        if (tags.Count == 0 || tags[0].Index != 0) return ControlSequence().Replace(line, string.Empty);
        var text = ControlSequence().Replace(Tag().Replace(line, string.Empty), string.Empty);
        return $"[rank {tags[^1].Groups[1].Value}] {text}";
    }

    // --tag-output's prefix: [job,rank]<stdout>: or <stderr>:
    [GeneratedRegex(@"\[\d+,(\d+)\]<std(?:out|err)>:")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\x1B(?:\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex ControlSequence();
}
