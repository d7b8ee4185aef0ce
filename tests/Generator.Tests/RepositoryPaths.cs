using System.Runtime.CompilerServices;

namespace Dsl.Generator.Tests;

/// <summary>Folders of the repository the tests read from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Structures => Path.Combine(Root, "structures");

    public static string Definitions => Path.Combine(Root, "Definitions");

    /// <summary>This test project's source folder (snapshots live there, not in bin/).</summary>
    public static string TestSource([CallerFilePath] string callerPath = "") => Path.GetDirectoryName(callerPath)!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dsl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No Dsl.sln above " + AppContext.BaseDirectory);
    }
}
