using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Makes TorchSharp's native library load on systems whose libstdc++ predates GCC 13.
/// libLibTorchSharp.so 0.107 requires the symbol version GLIBCXX_3.4.32 for one symbol,
/// std::ios_base_library_init(), a link-time marker that GCC 13's iostream references and that
/// is never called. Marking that one version requirement weak (VER_FLG_WEAK in .gnu.version_r) lets
/// the dynamic loader accept the library when the version is missing. Only the copy in the build
/// output is changed, never the NuGet cache; a library that already carries the flag is left alone.
/// No served package edits ELF version tables, hence this small reader of our own.
/// </summary>
public sealed class LibStdCxxCompat : Task
{
    const string Version = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    /// <summary>The copies of libLibTorchSharp.so in the output folder.</summary>
    [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The system libstdc++; when it already has the version, nothing is changed. Empty: always mark the requirement weak.</summary>
    public string SystemLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        if (File.Exists(SystemLibStdCxx) && Contains(File.ReadAllBytes(SystemLibStdCxx), Encoding.ASCII.GetBytes(Version + "\0")))
            return true;
        foreach (var item in Libraries)
        {
            var path = item.ItemSpec;
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (!MarkWeak(bytes)) continue;
                // The old file is unlinked and a new one takes its name, so a hard link into the NuGet cache is never written through.
                var temporary = path + ".compat";
                File.WriteAllBytes(temporary, bytes);
                File.Delete(path);
                File.Move(temporary, path);
                Log.LogMessage(MessageImportance.Normal, $"{path}: marked the {Version} requirement weak for this system's libstdc++.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Log.LogError($"{path}: could not mark the {Version} requirement weak ({e.Message}). TorchSharp will not load with this system's libstdc++; install GCC 13's libstdc++ (libstdc++6 >= 13) or use a TorchSharp built with an older toolchain.");
            }
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Sets the weak flag on the requirement; false when the library does not ask for the version or already has the flag.</summary>
    static bool MarkWeak(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        long sectionTable = ReadInt64(elf, 0x28);
        int entrySize = ReadUInt16(elf, 0x3A), count = ReadUInt16(elf, 0x3C);
        for (int i = 0; i < count; i++)
        {
            long header = sectionTable + (long)i * entrySize;
            if (ReadUInt32(elf, header + 4) != ShtGnuVerneed) continue;
            long offset = ReadInt64(elf, header + 24);
            long strings = ReadInt64(elf, sectionTable + (long)ReadUInt32(elf, header + 40) * entrySize + 24);
            uint needs = ReadUInt32(elf, header + 44);
            for (uint n = 0; n < needs; n++)
            {
                long aux = offset + ReadUInt32(elf, offset + 8);
                for (int a = 0; a < ReadUInt16(elf, offset + 2); a++)
                {
                    if (ReadName(elf, strings + ReadUInt32(elf, aux + 8)) == Version)
                    {
                        ushort flags = ReadUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0) return false;
                        flags |= VerFlagWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        return true;
                    }
                    aux += ReadUInt32(elf, aux + 12);
                }
                offset += ReadUInt32(elf, offset + 12);
            }
        }
        return false;
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    static string ReadName(byte[] b, long at)
    {
        long end = at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }

    static ushort ReadUInt16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);
    static uint ReadUInt32(byte[] b, long at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
    static long ReadInt64(byte[] b, long at) => (long)(ReadUInt32(b, at) | (ulong)ReadUInt32(b, at + 4) << 32);
}
