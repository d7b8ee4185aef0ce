namespace Dsl.Runtime.Data;

/// <summary>
/// torchvision's RandomResizedCrop: a random region covering a fraction of the area in <c>scale</c> with an
/// aspect ratio in <c>ratio</c> (log-uniform), resized bilinearly to size x size.
/// </summary>
public sealed class RandomResizedCrop(int size, double minScale = 0.08, double maxScale = 1.0,
    double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3) : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        var (top, left, height, width) = Region(image.Height, image.Width, random);
        return Resampling.Bilinear(image, top, left, height, width, size, size);
    }

    public (int Top, int Left, int Height, int Width) Region(int imageHeight, int imageWidth, SplitMix64 random)
    {
        var area = (double)imageHeight * imageWidth;
        var (logLow, logHigh) = (Math.Log(minRatio), Math.Log(maxRatio));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * random.Uniform(minScale, maxScale);
            var aspect = Math.Exp(random.Uniform(logLow, logHigh));
            var w = (int)Math.Round(Math.Sqrt(target * aspect));
            var h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= imageWidth && h <= imageHeight)
                return (random.Next(imageHeight - h + 1), random.Next(imageWidth - w + 1), h, w);
        }
        // Fallback of torchvision: the whole image, clipped to the allowed aspect ratios, centred.
        var ratio = (double)imageWidth / imageHeight;
        int cropW, cropH;
        if (ratio < minRatio) { cropW = imageWidth; cropH = (int)Math.Round(cropW / minRatio); }
        else if (ratio > maxRatio) { cropH = imageHeight; cropW = (int)Math.Round(cropH * maxRatio); }
        else { cropW = imageWidth; cropH = imageHeight; }
        return ((imageHeight - cropH) / 2, (imageWidth - cropW) / 2, cropH, cropW);
    }
}
