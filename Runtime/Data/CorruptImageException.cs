namespace Dsl.Runtime.Data;

/// <summary>An image file that cannot be read or decoded.</summary>
public sealed class CorruptImageException(string path, string reason, Exception? inner = null)
    : Exception($"cannot decode image '{path}': {reason}", inner)
{
    public string Path { get; } = path;
}
