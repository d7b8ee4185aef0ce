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

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads and decodes a file.</summary>
    public static ImageBuffer Decode(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
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
            // PIL's convert("RGB"), which torchvision's loader uses, drops alpha rather than blending it.
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
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
                ArrayPool<byte>.Shared.Return(rgba);
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
