namespace Dsl.Models.Tests.Checkpoints;

/// <summary>Locates the repository (the folder holding Dsl.sln) and the shared fixtures next to it.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shared data folder: <c>../shared</c> of the repository, or of an enclosing folder for worktrees.</summary>
    public static string Shared { get; } = FindShared();

    public static string FixtureCheckpoint => Path.Combine(Shared, "fixtures", "bl-tiny-checkpoint", "checkpoint.pth.tar");

    public static string Tool(string name) => Path.Combine(RepositoryRoot, "tests", "Models.Tests", "tools", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dsl.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Dsl.sln above {AppContext.BaseDirectory}");
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(RepositoryRoot).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "fixtures"))) return candidate;
        }
        throw new InvalidOperationException($"no shared/fixtures folder above {RepositoryRoot}");
    }
}
