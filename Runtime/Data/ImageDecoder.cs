using System.Buffers;
using SkiaSharp;

namespace Dsl.Runtime.Data;

/// <summary>
/// Decodes JPEG and PNG files with SkiaSharp (libjpeg-turbo and libpng inside Skia) into images of floats in
/// [0, 1], channels first. Any file that is not a complete, well-formed JPEG or PNG gives a
/// <see cref="CorruptImageException"/> naming it.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// The largest image accepted, in pixels: PIL's decompression-bomb limit, so a crafted header cannot make a
    /// worker allocate gigabytes.
    /// </summary>
    public const long MaxPixels = 89_478_485;

    /// <summary>
    /// The most elongated image accepted, longer side to shorter: wide panoramas pass, but not a strip of pixels that
    /// resizing its shorter side to a model's input would stretch into gigabytes (30000x1 to 64 rows is 1.9 million
    /// columns).
    /// </summary>
    public const int MaxAspectRatio = 100;

    /// <summary>The largest file read, in bytes: far above any photo's JPEG or PNG, and bounded so that no file costs more.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>
    /// Pixel buffers up to this size come from the shared array pool; larger ones are allocated and dropped, so that
    /// one huge image does not stay resident in the pool for the rest of the run.
    /// </summary>
    public const int MaxPooledBytes = 16 << 20;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads and decodes a file.</summary>
    public static ImageBuffer Decode(string path)
    {
        byte[] bytes;
        try { bytes = RegularFile.ReadAllBytes(path, MaxFileBytes); }
        catch (IOException e) { throw new CorruptImageException(path, e.Message, e); }
        catch (UnauthorizedAccessException e) { throw new CorruptImageException(path, e.Message, e); }
        return Decode(bytes, path);
    }

    /// <summary>Decodes an in-memory JPEG or PNG; <paramref name="source"/> names it in errors.</summary>
    public static unsafe ImageBuffer Decode(ReadOnlySpan<byte> bytes, string source)
    {
        // Only the two formats the data sets hold reach Skia's parsers; its other codecs (GIF, WebP, BMP, ICO)
        // are attack surface that training never needs.
        if (!IsJpeg(bytes) && !bytes.StartsWith(PngSignature))
            throw new CorruptImageException(source, "not a JPEG or PNG file");
        fixed (byte* encoded = bytes)
        {
            using var data = SKData.Create((IntPtr)encoded, bytes.Length);
            using var codec = SKCodec.Create(data)
                ?? throw new CorruptImageException(source, "unreadable or truncated header");
            var format = codec.EncodedFormat.ToString().ToUpperInvariant();
            var (width, height) = (codec.Info.Width, codec.Info.Height);
            if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
                throw new CorruptImageException(source, $"{width}x{height} pixels is outside 1..{MaxPixels}");
            if (Math.Max(width, height) > (long)Math.Min(width, height) * MaxAspectRatio)
                throw new CorruptImageException(source, $"{width}x{height} pixels is more elongated than {MaxAspectRatio}:1");
            // PIL's convert("RGB"), which torchvision's loader uses, drops alpha rather than blending it.
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var pooled = info.BytesSize <= MaxPooledBytes;
            var rgba = pooled ? ArrayPool<byte>.Shared.Rent(info.BytesSize) : GC.AllocateUninitializedArray<byte>(info.BytesSize);
            try
            {
                SKCodecResult result;
                fixed (byte* pixels = rgba) result = codec.GetPixels(info, (IntPtr)pixels);
                // IncompleteInput is a cut-off file whose missing rows Skia filled in: not an image to train on.
                if (result != SKCodecResult.Success)
                    throw new CorruptImageException(source, result == SKCodecResult.IncompleteInput
                        ? $"truncated {format} data"
                        : $"corrupt {format} data ({result})");
                return ToPlanes(rgba, width, height);
            }
            finally
            {
                if (pooled) ArrayPool<byte>.Shared.Return(rgba);
            }
        }
    }

    private static bool IsJpeg(ReadOnlySpan<byte> bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;

    private static ImageBuffer ToPlanes(byte[] rgba, int width, int height)
    {
        var image = new ImageBuffer(3, height, width);
        var plane = image.Plane;
        var red = image.Data.AsSpan(0, plane);
        var green = image.Data.AsSpan(plane, plane);
        var blue = image.Data.AsSpan(2 * plane, plane);
        for (var p = 0; p < plane; p++)
        {
            red[p] = rgba[4 * p] / 255f;
            green[p] = rgba[4 * p + 1] / 255f;
            blue[p] = rgba[4 * p + 2] / 255f;
        }
        return image;
    }
}
