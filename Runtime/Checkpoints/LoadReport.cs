namespace Dsl.Runtime.Checkpoints;

/// <summary>What a state-dict load found: keys the model has and the source lacks, and the reverse, and shape clashes.</summary>
public sealed record LoadReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<ShapeMismatch> MisShaped)
{
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && MisShaped.Count == 0;

    public override string ToString()
    {
        if (IsExact) return "all keys matched";
        var lines = new List<string>();
        if (Missing.Count > 0) lines.Add($"missing keys ({Missing.Count}): {string.Join(", ", Missing)}");
        if (Unexpected.Count > 0) lines.Add($"unexpected keys ({Unexpected.Count}): {string.Join(", ", Unexpected)}");
        if (MisShaped.Count > 0) lines.Add($"mis-shaped keys ({MisShaped.Count}): {string.Join("; ", MisShaped)}");
        // Keys may come from a file: their control characters are escaped before they reach a terminal.
        return string.Join(Environment.NewLine, lines.Select(FileText.Escape));
    }
}
