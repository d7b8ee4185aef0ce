namespace Dsl.Runtime.Data;

/// <summary>An image of floats, channels first (C x H x W), as transforms pass it along.</summary>
public sealed class ImageBuffer
{
    /// <summary>
    /// The most floats one image may hold: an RGB image of <see cref="ImageDecoder.MaxPixels"/> (1 GiB). A transform that
    /// would make a larger one (a resize of an elongated image) fails with <see cref="ImageTooLargeException"/>
    /// instead of allocating gigabytes or overflowing.
    /// </summary>
    public const long MaxValues = 3 * ImageDecoder.MaxPixels;

    public ImageBuffer(int channels, int height, int width, float[]? data = null)
    {
        EnsureAllowed(channels, height, width);
        (Channels, Height, Width) = (channels, height, width);
        Data = data ?? new float[channels * height * width];
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public float[] Data { get; }

    public int Plane => Height * Width;

    public float this[int c, int y, int x]
    {
        get => Data[(c * Height + y) * Width + x];
        set => Data[(c * Height + y) * Width + x] = value;
    }

    /// <summary>Throws <see cref="ImageTooLargeException"/> unless a channels x height x width image is within <see cref="MaxValues"/>.</summary>
    public static void EnsureAllowed(long channels, long height, long width)
    {
        // Each factor is below 2^31 and the product is bounded step by step, so nothing overflows.
        if (channels * height > MaxValues || channels * height * width > MaxValues)
            throw new ImageTooLargeException($"a {channels}x{height}x{width} image would hold more than the {MaxValues:N0} values allowed");
    }
}
