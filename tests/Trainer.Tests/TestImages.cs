using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;

namespace Dsl.Trainer.Tests;

/// <summary>Writes small image files for data tests: PNGs encoded here, JPEGs through Debian's python3-pil.</summary>
internal static class TestImages
{
    /// <summary>An RGB PNG whose pixels depend on (seed, x, y).</summary>
    public static void WritePng(string path, int width, int height, int seed)
    {
        var raw = new byte[height * (1 + 3 * width)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + 3 * width);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                    raw[row + 1 + 3 * x + c] = (byte)((seed * 37 + x * (c + 1) * 11 + y * 7 * (3 - c)) & 0xFF);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB
        Chunk(file, "IHDR", header);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
    }

    /// <summary>Writes JPEGs with PIL: each entry is (path, width, height, grey level).</summary>
    public static void WriteJpegs(IEnumerable<(string Path, int Width, int Height, int Level)> images)
    {
        var script = "import sys\nfrom PIL import Image\nfor line in sys.stdin:\n    p, w, h, v = line.rstrip('\\n').split('\\t')\n" +
                     "    Image.new('RGB', (int(w), int(h)), (int(v), 255 - int(v), 128)).save(p, 'JPEG')\n";
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        foreach (var (path, w, h, level) in images) process.StandardInput.WriteLine($"{path}\t{w}\t{h}\t{level}");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("writing JPEGs with python3-pil failed: " + error);
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        stream.Write(length);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
