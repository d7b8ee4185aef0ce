using System.Text;
using Xunit.Sdk;

namespace Dsl.Generator.Tests;

/// <summary>
/// Pins text in a checked-in <c>name.verified.txt</c> under Snapshots/. A mismatch writes
/// <c>name.received.txt</c> beside it and fails with a line diff; with DSL_ACCEPT_SNAPSHOTS=1 the received
/// text becomes the verified one.
/// </summary>
internal static class Snapshot
{
    public static string Folder => Path.Combine(RepositoryPaths.TestSource(), "Snapshots");

    public static void Verify(string name, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        var verified = Path.Combine(Folder, name + ".verified.txt");
        var received = Path.Combine(Folder, name + ".received.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(verified)!);
        var accept = Environment.GetEnvironmentVariable("DSL_ACCEPT_SNAPSHOTS") == "1";
        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (accept)
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

    /// <summary>A compact line diff: the first differing lines with a little context.</summary>
    public static string Diff(string expected, string actual, int maxLines = 40)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var text = new StringBuilder();
        var shown = 0;
        var n = Math.Max(a.Length, b.Length);
        for (var i = 0; i < n && shown < maxLines; i++)
        {
            var left = i < a.Length ? a[i] : null;
            var right = i < b.Length ? b[i] : null;
            if (left == right) continue;
            text.Append("line ").Append(i + 1).Append('\n');
            if (left is not null) text.Append("  - ").Append(left).Append('\n');
            if (right is not null) text.Append("  + ").Append(right).Append('\n');
            shown++;
        }
        if (shown == maxLines) text.Append("...\n");
        return text.ToString();
    }
}
