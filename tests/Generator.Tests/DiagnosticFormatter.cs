using System.Text;

namespace Dsl.Generator.Tests;

/// <summary>Renders diagnostics with their position and the marked source line, for snapshots and failure messages.</summary>
internal static class DiagnosticFormatter
{
    public static string Format(IEnumerable<Diagnostic> diagnostics, IReadOnlyList<InMemoryAdditionalText> files)
    {
        var text = new StringBuilder();
        foreach (var d in diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
                     .ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal))
        {
            var span = d.Location.GetLineSpan();
            var (start, end) = (span.StartLinePosition, span.EndLinePosition);
            text.Append(d.Id).Append(' ').Append(d.Severity).Append(' ').Append(Path.GetFileName(span.Path))
                .Append('(').Append(start.Line + 1).Append(',').Append(start.Character + 1).Append(")-(")
                .Append(end.Line + 1).Append(',').Append(end.Character + 1).Append("): ")
                .Append(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
            var file = files.FirstOrDefault(f => f.Path == span.Path);
            if (file is null) continue;
            var lines = file.Text.Split('\n');
            if (start.Line >= lines.Length) continue;
            var line = lines[start.Line].TrimEnd('\r');
            if (line.Length > 120) continue;
            var width = end.Line == start.Line ? Math.Max(1, end.Character - start.Character) : Math.Max(1, line.Length - start.Character);
            text.Append("    | ").Append(line).Append('\n');
            text.Append("    | ").Append(' ', Math.Min(start.Character, line.Length)).Append('^', Math.Min(width, 80)).Append('\n');
        }
        return text.ToString();
    }
}
