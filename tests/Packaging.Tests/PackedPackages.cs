using System.Diagnostics;
using System.Xml.Linq;

namespace Dsl.Packaging.Tests;

/// <summary>The packages scripts/pack.sh wrote, and running the dotnet command line (or a tool) on them.</summary>
internal static class PackedPackages
{
    public static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "artifacts", "packages");

    /// <summary>The one version of every Dsl package, as Directory.Build.props sets it.</summary>
    public static string Version { get; } =
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props")).Descendants("DslVersion").Single().Value;

    /// <summary>Throws, saying how to make them, when these packages are not in the folder.</summary>
    public static void Require(params string[] ids)
    {
        foreach (var id in ids)
            if (!File.Exists(Path.Combine(Folder, $"{id}.{Version}.nupkg")))
                throw new InvalidOperationException($"{Folder} has no {id}.{Version}.nupkg: run 'bash scripts/pack.sh' first " +
                                                    "(scripts/test.sh packs before it tests).");
    }

    /// <summary>Runs a program to its end and returns its exit code and output (stdout, then stderr).</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host's MSBuild variables would steer a child build toward this repository's build state.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
