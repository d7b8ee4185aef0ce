using Xunit;

namespace Dsl.TestSupport;

/// <summary>A file made to be refused: whatever reads it must throw, and name the file in what it throws.</summary>
public static class HostileFile
{
    /// <summary>
    /// Writes <paramref name="name"/> into a fresh temporary folder with <paramref name="write"/> and reads it with
    /// <paramref name="read"/>, which must throw a <typeparamref name="T"/> whose message holds the file's path.
    /// Returns the exception and that path; the folder is deleted by then.
    /// </summary>
    public static (T Error, string Path) Refused<T>(string name, Action<string> write, Action<string> read) where T : Exception
    {
        using var folder = new TempFolder();
        var path = folder.Combine(name);
        write(path);
        var error = Assert.Throws<T>(() => read(path));
        Assert.Contains(path, error.Message);
        return (error, path);
    }

    /// <summary><see cref="Refused{T}(string, Action{string}, Action{string})"/> for a file of the given bytes.</summary>
    public static (T Error, string Path) Refused<T>(string name, byte[] bytes, Action<string> read) where T : Exception =>
        Refused<T>(name, path => File.WriteAllBytes(path, bytes), read);

    /// <summary>Makes <paramref name="path"/> a sparse file of <paramref name="length"/> bytes: the length is there, the disk blocks are not.</summary>
    public static void Sparse(string path, long length)
    {
        using var file = File.Create(path);
        file.SetLength(length);
    }
}
