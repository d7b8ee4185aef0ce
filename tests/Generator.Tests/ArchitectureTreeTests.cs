using System.Diagnostics;

namespace Dsl.Generator.Tests;

/// <summary>
/// The folder trees in docs/architecture.md name exactly the folders git tracks, to the depth each tree shows: every
/// folder whose subfolders a tree lists has all of its tracked subfolders listed, and nothing else.
/// </summary>
public sealed class ArchitectureTreeTests
{
    private static readonly string Document = Path.Combine(RepositoryPaths.Root, "docs", "architecture.md");

    [Fact]
    public void TheTreesListTheTrackedFoldersToTheirDepth()
    {
        var tracked = TrackedFiles();
        var listed = Trees(File.ReadLines(Document)).ToList();
        Assert.True(listed.Count > 10, $"no folder tree found in {Document}");

        // A folder is shown when a listed path lies below it; the repository's root always is.
        var problems = new List<string>();
        foreach (var folder in listed.SelectMany(Ancestors).Prepend("").Distinct())
        {
            var (inGit, inTree) = (Subfolders(tracked, folder).ToList(), Subfolders(listed, folder).ToList());
            var name = folder.Length == 0 ? "the root" : folder;
            problems.AddRange(inGit.Except(inTree).Select(sub => $"{name} holds {sub} in git ls-files, which the tree omits"));
            problems.AddRange(inTree.Except(inGit).Select(sub => $"the tree lists {folder}{sub}, which git ls-files does not hold"));
        }
        problems.AddRange(listed.Where(path => !path.EndsWith('/') && !tracked.Contains(path)).Select(file => $"the tree lists {file}, which git does not track"));
        Assert.True(problems.Count == 0, $"{Document}:\n" + string.Join("\n", problems));
    }

    /// <summary>The paths the tree blocks list: a name at the start of a line is a top folder (or a path below the
    /// root), names indented by two spaces are its subfolders; text after two spaces, and deeper lines, describe them.</summary>
    private static IEnumerable<string> Trees(IEnumerable<string> lines)
    {
        var (inBlock, isTree, top) = (false, false, "");
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                (inBlock, isTree) = (!inBlock, false);
                continue;
            }
            if (!inBlock || line.Length == 0) continue;
            var indent = line.Length - line.TrimStart(' ').Length;
            var names = line.Trim().Split("  ")[0].Split(' ');
            if (indent == 0)
            {
                // A block is a tree when its lines start with paths; the dependency diagram's do not.
                isTree = names[0].Contains('/');
                if (!isTree) continue;
                top = names[0];
                yield return top;
            }
            else if (isTree && indent == 2)
            {
                foreach (var name in names) yield return top + name;
            }
        }
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/'); slash >= 0 && slash < path.Length - 1; slash = path.IndexOf('/', slash + 1))
            yield return path[..(slash + 1)];
    }

    private static IEnumerable<string> Subfolders(IEnumerable<string> paths, string folder) =>
        paths.Where(path => path.StartsWith(folder, StringComparison.Ordinal) && path.IndexOf('/', folder.Length) > 0)
            .Select(path => path[folder.Length..(path.IndexOf('/', folder.Length) + 1)])
            .Distinct().Order(StringComparer.Ordinal);

    private static List<string> TrackedFiles()
    {
        var info = new ProcessStartInfo("git", ["ls-files", "-z"])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(info) ?? throw new InvalidOperationException("cannot start git");
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git ls-files in {RepositoryPaths.Root} failed: {error}");
        return [.. output.Result.Split('\0', StringSplitOptions.RemoveEmptyEntries)];
    }
}
