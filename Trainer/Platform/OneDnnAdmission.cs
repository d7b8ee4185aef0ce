using System.Diagnostics;
using System.Globalization;
using Dsl.Runtime.Platform;
using Dsl.Runtime;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Models;
using Dsl.Runtime.Training;
using Dsl.Trainer.Commands;

namespace Dsl.Trainer.Platform;

/// <summary>
/// Where the load-time check turned oneDNN off (<see cref="OneDnn"/>), a bfloat16 run on the CPU takes it back for its
/// model when <c>dsl check-onednn</c>, in a child process, finds the model's bfloat16 results with oneDNN as close to
/// float32 as with libtorch's own kernels in every layout the run may use. On an AMD EPYC where oneDNN was wrong for
/// some convolutions, it was right for bLResNet-Small in NHWC and trained it 1.4× faster than float32 without it,
/// and it crashed the process (SIGFPE) for bLResNet-50: hence the child.
/// </summary>
public static class OneDnnAdmission
{
    /// <summary>The check's batch at most: enough for oneDNN to pick the kernels of a training batch, quick at 224².</summary>
    public const int MaxCheckBatch = 16;

    /// <summary>Decides, and returns the line for the log; null where there was nothing to decide (oneDNN was on from the
    /// start or set by <see cref="OneDnn.Variable"/>, or the run is not a bfloat16 run on the CPU).</summary>
    /// <param name="model">The model as the command line names it (a catalog name or a spec file), for the child.</param>
    public static string? Decide(string model, ModelInfo entry, int inputSize, int batch, Precision precision, MemoryFormat format,
        Device device)
    {
        if (device.type != DeviceType.CPU || OneDnn.WrongAt is not { } wrong) return null;
        // Each run decides afresh, as dsl bench does model by model.
        OneDnn.Admit(false);
        if (!PrecisionPolicy.TakesBFloat16WithOneDnn(precision, device)) return null;
        var layouts = format switch
        {
            MemoryFormat.Nchw => "nchw",
            MemoryFormat.Nhwc => "nhwc",
            _ => "nchw,nhwc",
        };
        var shape = string.Join(',', new long[] { Math.Min(batch, MaxCheckBatch), entry.InputChannels, inputSize, inputSize }
            .Select(v => v.ToString(CultureInfo.InvariantCulture)));
        var (code, report) = Run([CheckOneDnnCommand.Name, "--model", model, "--shape", shape, "--layouts", layouts]);
        var findings = string.Join("; ", report.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("NCHW:", StringComparison.Ordinal) || line.StartsWith("NHWC:", StringComparison.Ordinal)));
        OneDnn.Admit(code == 0);
        switch (code)
        {
            case 0:
                return $"oneDNN is on for {entry.Name}: this CPU's oneDNN computed some convolutions wrong ({wrong}), but this model's "
                    + $"bfloat16 results with it are as close to float32 as with libtorch's own kernels (relative distances {findings})";
            case 1:
                return $"oneDNN stays off for {entry.Name}: its bfloat16 results with it are further from float32 than with libtorch's own kernels "
                    + $"(relative distances {findings})";
            default:
                return $"oneDNN stays off for {entry.Name}: checking it ended the checking process with {Describe(code)}";
        }
    }

    private static (int Code, string Output) Run(IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The trainer's own assembly, also where the process is a test host.
        info.ArgumentList.Add(typeof(OneDnnAdmission).Assembly.Location);
        foreach (var argument in args) info.ArgumentList.Add(argument);
        info.Environment[OneDnn.Variable] = "check";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start '{DotnetHost}' to check oneDNN");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string DotnetHost =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? path : "dotnet";

    // A process ended by a signal exits with 128 + its number.
    private static string Describe(int code) => code switch
    {
        136 => "signal 8 (SIGFPE, a floating-point exception)",
        139 => "signal 11 (SIGSEGV)",
        134 => "signal 6 (SIGABRT)",
        > 128 => $"signal {code - 128}",
        _ => $"exit code {code}",
    };
}
