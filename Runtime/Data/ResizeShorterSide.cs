namespace Dsl.Runtime.Data;

/// <summary>torchvision's Resize(int): scales so the shorter side is <c>size</c>, keeping the aspect ratio.</summary>
public sealed class ResizeShorterSide(int size) : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        var (h, w) = (image.Height, image.Width);
        if ((w <= h && w == size) || (h <= w && h == size)) return image;
        return w < h
            ? Resampling.Bilinear(image, (int)((long)size * h / w), size)
            : Resampling.Bilinear(image, size, (int)((long)size * w / h));
    }
}
