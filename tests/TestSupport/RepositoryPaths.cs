using System.Runtime.CompilerServices;

namespace Dsl.TestSupport;

/// <summary>Folders the tests read from: the repository's own and the shared data folder beside it.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding Dsl.sln, found upward from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Structures => Path.Combine(Root, "structures");

    public static string Definitions => Path.Combine(Root, "Definitions");

    /// <summary>The calling file's folder: a test project's source folder, where its checked-in data lives (not bin/).</summary>
    public static string TestSource([CallerFilePath] string callerPath = "") => Path.GetDirectoryName(callerPath)!;

    /// <summary>
    /// The folder <c>shared/<paramref name="name"/></c> in the repository or in the nearest folder above it that
    /// has one (a worktree sits a few levels below the shared data).
    /// </summary>
    public static string Shared(string name)
    {
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"No shared/{name} folder in or above {Root}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dsl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No Dsl.sln above " + AppContext.BaseDirectory);
    }
}
