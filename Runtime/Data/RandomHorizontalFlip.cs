namespace Dsl.Runtime.Data;

/// <summary>Mirrors the image left-right with probability 1/2, in place.</summary>
public sealed class RandomHorizontalFlip : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        if (!random.NextBool()) return image;
        for (var row = 0; row < image.Channels * image.Height; row++)
            Array.Reverse(image.Data, row * image.Width, image.Width);
        return image;
    }
}
