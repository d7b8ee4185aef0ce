namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>The checkpoint fixture in the shared data folder and the Python tools beside these tests.</summary>
internal static class TestPaths
{
    public static string FixtureCheckpoint => Path.Combine(RepositoryPaths.Shared("fixtures"), "bl-tiny-checkpoint", "checkpoint.pth.tar");

    public static string Tool(string name) => Path.Combine(RepositoryPaths.Root, "tests", "Runtime.Tests", "tools", name);
}
