using System.Diagnostics;

namespace Dsl.Trainer.Tests.Distributed;

/// <summary>Finds and starts the worker console (Worker/Dsl.Distributed.Worker.csproj, built with this project).</summary>
internal static class WorkerProcess
{
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

    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var argument in args) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["OMP_NUM_THREADS"] = "1";
        return Process.Start(info)!;
    }
}
