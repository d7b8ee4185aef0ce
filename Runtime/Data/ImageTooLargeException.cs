namespace Dsl.Runtime.Data;

/// <summary>An image buffer larger than <see cref="ImageBuffer.MaxValues"/> was asked for; the data set names the file it came from.</summary>
public sealed class ImageTooLargeException(string message) : Exception(message);
