using System.Buffers.Binary;
using System.IO.Compression;

namespace Dsl.Runtime.Tests.Support;

/// <summary>Writes small image files for data tests: PNGs encoded here, JPEGs and RGBA PNGs through Debian's python3-pil.</summary>
internal static class TestImages
{
    /// <summary>Sample <paramref name="index"/> of a data set as it loads, its augmentation drawn from <paramref name="seed"/>.</summary>
    public static float[] Sample(IImageDataset data, int index, ulong seed = 0)
    {
        var pixels = new float[data.Channels * data.Height * data.Width];
        data.Load(index, new SplitMix64(seed), pixels);
        return pixels;
    }

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

    /// <summary>Writes JPEGs with PIL: each entry is (path, width, height, grey level), coloured (level, 255 - level, 128).</summary>
    public static void WriteJpegs(IEnumerable<(string Path, int Width, int Height, int Level)> images) =>
        RunPil("for p, w, h, v in rows:\n    Image.new('RGB', (int(w), int(h)), (int(v), 255 - int(v), 128)).save(p, 'JPEG')\n",
            images.Select(i => $"{i.Path}\t{i.Width}\t{i.Height}\t{i.Level}"));

    /// <summary>An image folder of two classes, a and b, each of <paramref name="perClass"/> photo-like JPEGs of the given size.</summary>
    public static void WritePhotoClassFolders(TempFolder root, int perClass, int size)
    {
        foreach (var name in new[] { "a", "b" })
        {
            Directory.CreateDirectory(root.Combine(name));
            WritePhotoJpegs(Enumerable.Range(0, perClass).Select(i => root.Combine(name, $"{i:D2}.jpg")), size, size);
        }
    }

    /// <summary>
    /// Writes photo-like JPEGs with PIL (quality 90): a gradient at a random angle mixed with Gaussian noise,
    /// which costs a decoder about what a natural photograph does, unlike a flat colour.
    /// </summary>
    public static void WritePhotoJpegs(IEnumerable<string> paths, int width, int height) =>
        RunPil("import random\nfor i, (p,) in enumerate(rows):\n    r = random.Random(i)\n" +
               "    g = Image.linear_gradient('L').resize((int(W), int(H))).rotate(r.uniform(0, 360))\n" +
               "    n = Image.effect_noise((int(W), int(H)), 40)\n" +
               "    Image.merge('RGB', (g, n, Image.blend(g, n, 0.5))).save(p, 'JPEG', quality=90)\n",
            paths, $"W, H = {width}, {height}\n");

    /// <summary>Writes one PNG of a single RGBA colour with PIL (alpha kept in the file).</summary>
    public static void WriteRgbaPng(string path, int width, int height, (int R, int G, int B, int A) colour) =>
        RunPil("for p, w, h, r, g, b, a in rows:\n    Image.new('RGBA', (int(w), int(h)), (int(r), int(g), int(b), int(a))).save(p, 'PNG')\n",
            [$"{path}\t{width}\t{height}\t{colour.R}\t{colour.G}\t{colour.B}\t{colour.A}"]);

    // Runs a PIL snippet over tab-separated rows sent on standard input.
    private static void RunPil(string body, IEnumerable<string> rows, string prelude = "")
    {
        var script = "import sys\nfrom PIL import Image\n" + prelude +
                     "rows = [line.rstrip('\\n').split('\\t') for line in sys.stdin]\n" + body;
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        foreach (var row in rows) process.StandardInput.WriteLine(row);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("writing images with python3-pil failed: " + error);
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

    /// <summary>PNG's chunk checksum (CRC-32 of the type and data).</summary>
    public static uint Crc32(byte[] data)
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
