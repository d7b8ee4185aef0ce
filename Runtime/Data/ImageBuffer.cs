namespace Dsl.Runtime.Data;

/// <summary>An image of floats, channels first (C x H x W), as transforms pass it along.</summary>
public sealed class ImageBuffer(int channels, int height, int width, float[]? data = null)
{
    public int Channels { get; } = channels;
    public int Height { get; } = height;
    public int Width { get; } = width;
    public float[] Data { get; } = data ?? new float[channels * height * width];

    public int Plane => Height * Width;

    public float this[int c, int y, int x]
    {
        get => Data[(c * Height + y) * Width + x];
        set => Data[(c * Height + y) * Width + x] = value;
    }
}
