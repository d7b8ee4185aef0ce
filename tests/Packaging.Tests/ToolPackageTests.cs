namespace Dsl.Packaging.Tests;

/// <summary>
/// The dsl tool installed from its package into a folder under /tmp: it lists the models and builds one, which
/// loads libtorch from the tool's own files (where the libstdc++ step must have been applied when packing).
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dsl-tool-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void InstalledToolListsAndBuildsModels()
    {
        PackedPackages.Require("Dsl.Trainer");
        var (packages, version) = (PackedPackages.Folder, PackedPackages.Version);
        Directory.CreateDirectory(folder);
        // Only the local packages: the tool has no dependencies, and no other source may offer a package of that name.
        var config = Path.Combine(folder, "NuGet.config");
        File.WriteAllText(config, $"""<configuration><packageSources><clear /><add key="dsl-local" value="{packages}" /></packageSources></configuration>""");
        var tools = Path.Combine(folder, "tools");
        Run("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "--version", version, "Dsl.Trainer"], expectSuccess: true);

        Assert.Contains("bLResNet-Small", Run(Path.Combine(tools, "dsl"), ["list"], expectSuccess: true));

        // A reference file with no weights and zero logits: the check fails, but only after the model was built and run.
        var reference = Path.Combine(folder, "reference.json");
        File.WriteAllText(reference, """{"model": "bLResNet-Small", "input": {"shape": [1, 1, 28, 28]}, "state_dict": [], "logits_f64": [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]}""");
        var check = Run(Path.Combine(tools, "dsl"), ["check-reference", reference], expectSuccess: false);
        Assert.Contains("FAIL  bLResNet-Small", check);
        Assert.Contains("state-dict entries, reference has 0", check);
    }

    private string Run(string file, string[] arguments, bool expectSuccess)
    {
        var (exitCode, output) = PackedPackages.Run(file, arguments, folder);
        Assert.True((exitCode == 0) == expectSuccess, $"{file} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        return output;
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
