namespace Dsl.Runtime.Checkpoints;

/// <summary>A strict state-dict load found keys or shapes that differ; the model was left unchanged.</summary>
public sealed class StateDictMismatchException(LoadReport report, string? filePath = null)
    : Exception((filePath is null ? "the state dict" : $"the state dict in {filePath}") + " does not match the model:" + Environment.NewLine + report)
{
    public LoadReport Report { get; } = report;

    /// <summary>The file the state dict came from, when it came from one.</summary>
    public string? FilePath { get; } = filePath;
}
