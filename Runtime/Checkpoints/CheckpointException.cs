namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A checkpoint file could not be read or written; the message names the file and the problem. Control
/// characters in the problem (it may quote the file's own strings) are escaped before it reaches a terminal.
/// </summary>
public sealed class CheckpointException : Exception
{
    public string FilePath { get; }

    public CheckpointException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {FileText.Escape(problem)}", inner)
    {
        FilePath = filePath;
    }
}
