namespace Dsl.Runtime.Data;

/// <summary>torchvision's Resize(int): scales so the shorter side is <c>size</c>, keeping the aspect ratio.</summary>
public sealed class ResizeShorterSide(int size) : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        var (h, w) = (image.Height, image.Width);
        if ((w <= h && w == size) || (h <= w && h == size)) return image;
        // In long: an elongated image's longer side, scaled, can pass int; the buffer bound refuses it by name.
        var longer = (long)size * Math.Max(h, w) / Math.Min(h, w);
        if (w < h)
        {
            ImageBuffer.EnsureAllowed(image.Channels, longer, size);
            return Resampling.Bilinear(image, (int)longer, size);
        }
        ImageBuffer.EnsureAllowed(image.Channels, size, longer);
        return Resampling.Bilinear(image, size, (int)longer);
    }
}
