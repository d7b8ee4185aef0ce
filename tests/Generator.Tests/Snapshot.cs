using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace Dsl.Generator.Tests;

/// <summary>
/// Pins text in a checked-in <c>name.verified.txt</c> under Snapshots/. A mismatch writes
/// <c>name.received.txt</c> beside it and fails with a line diff; with DSL_ACCEPT_SNAPSHOTS=1 the received
/// text becomes the verified one.
/// </summary>
internal static class Snapshot
{
    private const string VerifiedSuffix = ".verified.txt";
    private const string ReceivedSuffix = ".received.txt";

    public static string Folder => Path.Combine(RepositoryPaths.TestSource(), "Snapshots");

    /// <summary>True when DSL_ACCEPT_SNAPSHOTS=1: differences are accepted instead of failing.</summary>
    public static bool Accepting => Environment.GetEnvironmentVariable("DSL_ACCEPT_SNAPSHOTS") == "1";

    public static void Verify(string name, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        var verified = Path.Combine(Folder, name + VerifiedSuffix);
        var received = Path.Combine(Folder, name + ReceivedSuffix);
        Directory.CreateDirectory(Path.GetDirectoryName(verified)!);
        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (Accepting)
        {
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        throw new XunitException(expected is null
            ? $"No verified snapshot {verified}; the output is in {received}. Run with DSL_ACCEPT_SNAPSHOTS=1 to accept it."
            : $"Snapshot {name} differs (received: {received}; DSL_ACCEPT_SNAPSHOTS=1 accepts):\n{Diff(expected, actual)}");
    }

    /// <summary>
    /// Fails when a file under Snapshots/<paramref name="folder"/> belongs to none of <paramref name="names"/>: a
    /// snapshot whose spec or case is gone would otherwise stay forever. With DSL_ACCEPT_SNAPSHOTS=1 such files
    /// are deleted instead.
    /// </summary>
    public static void AssertNoOrphans(string folder, IEnumerable<string> names)
    {
        var root = Path.Combine(Folder, folder);
        var known = new HashSet<string>(names, StringComparer.Ordinal);
        var orphans = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => SnapshotName(Path.GetRelativePath(root, p)) is not { } name || !known.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (orphans.Count == 0) return;
        if (Accepting)
        {
            foreach (var orphan in orphans) File.Delete(orphan);
            return;
        }
        throw new XunitException($"{orphans.Count} file(s) in {root} belong to no current snapshot (DSL_ACCEPT_SNAPSHOTS=1 deletes them):\n" +
                                 string.Join("\n", orphans));
    }

    /// <summary>The snapshot a file name holds ("X.verified.txt" and "X.received.txt" hold X), or null for any other file.</summary>
    private static string? SnapshotName(string fileName) =>
        fileName.EndsWith(VerifiedSuffix, StringComparison.Ordinal) ? fileName[..^VerifiedSuffix.Length]
        : fileName.EndsWith(ReceivedSuffix, StringComparison.Ordinal) ? fileName[..^ReceivedSuffix.Length]
        : null;

    /// <summary>
    /// A compact line diff (DiffPlex's, so an inserted line shows as one insertion, not as every later line changed): the
    /// first changed lines, each with its line number in the expected (-) or received (+) text.
    /// </summary>
    public static string Diff(string expected, string actual, int maxLines = 40)
    {
        var model = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false);
        var text = new StringBuilder();
        var shown = 0;
        var (oldLine, newLine) = (0, 0);
        foreach (var line in model.Lines)
        {
            switch (line.Type)
            {
                case ChangeType.Deleted:
                    oldLine++;
                    if (shown++ < maxLines) text.Append("line ").Append(oldLine).Append("\n  - ").Append(line.Text).Append('\n');
                    break;
                case ChangeType.Inserted:
                    newLine++;
                    if (shown++ < maxLines) text.Append("line ").Append(newLine).Append("\n  + ").Append(line.Text).Append('\n');
                    break;
                default:
                    oldLine++;
                    newLine++;
                    break;
            }
        }
        if (shown > maxLines) text.Append("...\n");
        return text.ToString();
    }
}
