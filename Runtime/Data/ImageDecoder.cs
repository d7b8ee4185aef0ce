using Dsl.Runtime.Native;

namespace Dsl.Runtime.Data;

/// <summary>Decodes JPEG and PNG files to 8-bit RGB with the native shim.</summary>
public static class ImageDecoder
{
    /// <summary>Reads and decodes a file into a uint8 tensor of shape H x W x 3 (caller owns it).</summary>
    public static Tensor Decode(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new CorruptImageException(path, e.Message, e); }
        catch (UnauthorizedAccessException e) { throw new CorruptImageException(path, e.Message, e); }
        return Decode(bytes, path);
    }

    /// <summary>Decodes an in-memory JPEG or PNG; <paramref name="source"/> names it in errors.</summary>
    public static unsafe Tensor Decode(ReadOnlySpan<byte> bytes, string source)
    {
        // libjpeg only warns about a missing end-of-image marker and fills the rest with grey;
        // a cut-off file is treated as corrupt instead of training on half an image.
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 && !HasJpegEnd(bytes))
            throw new CorruptImageException(source, "truncated JPEG (no end-of-image marker)");
        try
        {
            fixed (byte* pointer = bytes)
                return new Tensor(NativeMethods.dsl_image_decode(pointer, bytes.Length));
        }
        catch (TorchException e)
        {
            throw new CorruptImageException(source, e.Message, e);
        }
    }

    /// <summary>Decodes a file into an image of floats in [0, 1], channels first.</summary>
    public static ImageBuffer DecodeToBuffer(string path)
    {
        using var tensor = Decode(path);
        var shape = tensor.Shape;
        var (height, width) = ((int)shape[0], (int)shape[1]);
        var pixels = tensor.ToArray<byte>();
        var image = new ImageBuffer(3, height, width);
        var plane = height * width;
        var data = image.Data;
        for (var p = 0; p < plane; p++)
        {
            data[p] = pixels[3 * p] / 255f;
            data[plane + p] = pixels[3 * p + 1] / 255f;
            data[2 * plane + p] = pixels[3 * p + 2] / 255f;
        }
        return image;
    }

    private static bool HasJpegEnd(ReadOnlySpan<byte> bytes)
    {
        // Some writers append padding after the marker, so look at the tail rather than the last two bytes.
        var tail = bytes[Math.Max(0, bytes.Length - 1024)..];
        for (var i = tail.Length - 2; i >= 0; i--)
            if (tail[i] == 0xFF && tail[i + 1] == 0xD9) return true;
        return false;
    }
}
