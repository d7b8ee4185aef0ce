namespace Dsl.Runtime.Checkpoints;

/// <summary>A checkpoint file could not be read or written; the message names the file and the problem.</summary>
public sealed class CheckpointException : Exception
{
    public string FilePath { get; }

    public CheckpointException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }
}
