using System.Diagnostics;
using System.Text.Json;

namespace Dsl.Benchmarks;

/// <summary>PyTorch's timings of the same workloads, from peer.py run by a Python that has torch.</summary>
public sealed record PeerResult(string TorchVersion, int Threads, Measurement SmallOps, Measurement Conv);

public static class PeerProcess
{
    public static PeerResult Run(string python, string script, int threads, int warmUp, int smallRepeats, int convRepeats)
    {
        if (!File.Exists(script)) throw new FileNotFoundException($"the PyTorch peer script is missing: {script}", script);
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     script, "--threads", $"{threads}", "--warm-up", $"{warmUp}",
                     "--small-repeats", $"{smallRepeats}", "--conv-repeats", $"{convRepeats}",
                 })
            start.ArgumentList.Add(argument);
        // The peer must not pick its own thread count from the environment.
        start.Environment["OMP_NUM_THREADS"] = $"{threads}";
        start.Environment["MKL_NUM_THREADS"] = $"{threads}";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{python} {script} exited with code {process.ExitCode}: {errors.Result.Trim()}");
        return Parse(output, $"{python} {script}");
    }

    private static PeerResult Parse(string output, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            static double[] Values(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            static Measurement Times(JsonElement workload) =>
                new(Values(workload.GetProperty("wall_ms")), Values(workload.GetProperty("cpu_ms")));
            return new PeerResult(root.GetProperty("torch").GetString() ?? "?", root.GetProperty("threads").GetInt32(),
                Times(root.GetProperty("small_ops")), Times(root.GetProperty("conv")));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{source} printed output that is not the expected JSON: {output.Trim()}", e);
        }
    }
}
