using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dsl.Runtime.Platform;

/// <summary>
/// The opens the BCL cannot do (Linux only): a folder, whose handle <see cref="RandomAccess.FlushToDisk"/> then syncs,
/// and a file of unknown kind without blocking (the BCL's open of a FIFO waits for a writer forever), whose kind and
/// size are then read from the descriptor itself, so the path cannot change between the check and the read.
/// </summary>
internal static partial class NativeFile
{
    private const int ReadOnly = 0, NonBlocking = 0x800, Directory = 0x10000, CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000, WantType = 0x1, WantSize = 0x200;
    private const int TypeMask = 0xF000, RegularType = 0x8000;

    public static SafeFileHandle OpenDirectory(string path) => Open(path, ReadOnly | Directory | CloseOnExec);

    /// <summary>Opens for reading; a FIFO opens at once instead of waiting, and a regular file reads as usual.</summary>
    public static SafeFileHandle OpenWithoutBlocking(string path) => Open(path, ReadOnly | NonBlocking | CloseOnExec);

    /// <summary>What the open file is: null for a regular file, else its kind in words; and its size in bytes.</summary>
    public static (string? NotRegular, long Length) Status(SafeFileHandle file, string path)
    {
        Span<byte> status = stackalloc byte[256];
        if (Statx(file, "", EmptyPath, WantType | WantSize, status) != 0) throw Failure("cannot read the status of", path);
        // struct statx, the same on every architecture: stx_mode is the u16 at offset 28, stx_size the u64 at offset 40.
        var type = BitConverter.ToUInt16(status[28..]) & TypeMask;
        var length = BitConverter.ToInt64(status[40..]);
        return (type == RegularType ? null : Kind(type), length);
    }

    private static SafeFileHandle Open(string path, int flags)
    {
        var handle = OpenFile(path, flags);
        if (handle.IsInvalid) throw Failure("cannot open", path);
        return handle;
    }

    private static string Kind(int type) => type switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a folder",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => $"a file of type 0x{type:X4}",
    };

    private static Exception Failure(string what, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        var message = $"{what} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno switch
        {
            2 or 20 => new FileNotFoundException(message, path),
            1 or 13 => new UnauthorizedAccessException(message),
            _ => new IOException(message),
        };
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial SafeFileHandle OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(SafeFileHandle file, string path, int flags, int mask, Span<byte> status);
}
