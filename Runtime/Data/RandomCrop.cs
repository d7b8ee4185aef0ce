namespace Dsl.Runtime.Data;

/// <summary>torchvision's RandomCrop(size, padding): zero-pads each side, then takes a random size x size window.</summary>
public sealed class RandomCrop(int size, int padding) : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        var paddedH = image.Height + 2 * padding;
        var paddedW = image.Width + 2 * padding;
        if (paddedH < size || paddedW < size)
            throw new ArgumentException($"cannot crop {size}x{size} from a padded {paddedH}x{paddedW} image");
        // Window origin in padded coordinates; shifted back into the image's frame below.
        var top = random.Next(paddedH - size + 1) - padding;
        var left = random.Next(paddedW - size + 1) - padding;
        var result = new ImageBuffer(image.Channels, size, size);
        for (var c = 0; c < image.Channels; c++)
            for (var y = 0; y < size; y++)
            {
                var sy = top + y;
                if (sy < 0 || sy >= image.Height) continue;
                var x0 = Math.Max(0, -left);
                var x1 = Math.Min(size, image.Width - left);
                if (x1 > x0)
                    Array.Copy(image.Data, (c * image.Height + sy) * image.Width + left + x0, result.Data, (c * size + y) * size + x0, x1 - x0);
            }
        return result;
    }
}
