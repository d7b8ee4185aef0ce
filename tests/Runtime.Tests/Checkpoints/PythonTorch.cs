using System.Text.Json;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Runs the Python helpers in tests/Runtime.Tests/tools with Debian's python3, which has PyTorch.</summary>
internal static class PythonTorch
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(FindProblem);

    /// <summary>Null when /usr/bin/python3 can import torch, else why not.</summary>
    public static string? Problem => Unavailable.Value;

    public static JsonElement RunJson(string tool, params string[] arguments) =>
        JsonDocument.Parse(Run(tool, arguments)).RootElement.Clone();

    public static string Run(string tool, params string[] arguments)
    {
        var (code, output, error) = Execute([TestPaths.Tool(tool), .. arguments], TimeSpan.FromMinutes(2));
        if (code != 0) throw new InvalidOperationException($"{tool} failed with exit code {code}:{Environment.NewLine}{error}");
        return output;
    }

    private static string? FindProblem()
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} is not installed";
        try
        {
            var (code, _, error) = Execute(["-c", "import torch"], TimeSpan.FromMinutes(1));
            return code == 0 ? null : $"{Interpreter} cannot import torch: {error.Trim()}";
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"{Interpreter} cannot be run: {e.Message}";
        }
    }

    private static (int Code, string Output, string Error) Execute(string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Interpreter} {string.Join(' ', arguments)} took longer than {timeout}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A fact that is skipped, saying why, when /usr/bin/python3 has no PyTorch.</summary>
internal sealed class PythonTorchFactAttribute : FactAttribute
{
    public PythonTorchFactAttribute()
    {
        if (PythonTorch.Problem is { } problem) Skip = $"needs PyTorch for Python: {problem}";
    }
}
