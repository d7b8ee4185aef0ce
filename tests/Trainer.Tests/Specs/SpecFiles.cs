using System.Runtime.CompilerServices;

namespace Dsl.Trainer.Tests.Specs;

/// <summary>The repository's specs, copied under another name into a test folder.</summary>
internal static class SpecFiles
{
    public static string Structures([CallerFilePath] string callerPath = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerPath)!, "..", "..", "..", "structures"));

    /// <summary>Writes structures/<paramref name="file"/> into <paramref name="folder"/> with the model renamed; returns its path.</summary>
    public static string CopyRenamed(TempFolder folder, string file, string oldName, string newName, string newFile)
    {
        var text = File.ReadAllText(Path.Combine(Structures(), file));
        Assert.Contains("name: " + oldName + "\n", text);
        var path = folder.Combine(newFile);
        File.WriteAllText(path, text.Replace("name: " + oldName + "\n", "name: " + newName + "\n"));
        return path;
    }
}
