namespace Dsl.Runtime.Data;

/// <summary>torchvision's CenterCrop(size) for images at least that large.</summary>
public sealed class CenterCrop(int size) : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        if (image.Height < size || image.Width < size)
            throw new ArgumentException($"cannot centre-crop {size}x{size} from a {image.Height}x{image.Width} image");
        var top = (int)Math.Round((image.Height - size) / 2.0);
        var left = (int)Math.Round((image.Width - size) / 2.0);
        var result = new ImageBuffer(image.Channels, size, size);
        for (var c = 0; c < image.Channels; c++)
            for (var y = 0; y < size; y++)
                Array.Copy(image.Data, (c * image.Height + top + y) * image.Width + left, result.Data, (c * size + y) * size, size);
        return result;
    }
}
