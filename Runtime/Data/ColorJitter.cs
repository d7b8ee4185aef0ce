namespace Dsl.Runtime.Data;

/// <summary>
/// torchvision's ColorJitter(brightness, contrast, saturation) on images in [0, 1]: each factor is uniform in
/// [max(0, 1 - s), 1 + s] and the three adjustments run in a random order.
/// </summary>
public sealed class ColorJitter(double brightness, double contrast, double saturation) : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        foreach (var step in random.Permutation(3))
        {
            switch (step)
            {
                case 0 when brightness > 0:
                    Blend(image, null, 0f, Factor(brightness, random));
                    break;
                case 1 when contrast > 0:
                    var gray = Grayscale(image);
                    Blend(image, null, (float)gray.Average(), Factor(contrast, random));
                    break;
                case 2 when saturation > 0 && image.Channels == 3:
                    Blend(image, Grayscale(image), 0f, Factor(saturation, random));
                    break;
            }
        }
        return image;
    }

    private static float Factor(double strength, SplitMix64 random) =>
        (float)random.Uniform(Math.Max(0, 1 - strength), 1 + strength);

    // image = clamp(f * image + (1 - f) * other), other being a per-pixel plane or a constant.
    private static void Blend(ImageBuffer image, float[]? otherPlane, float otherValue, float factor)
    {
        var plane = image.Plane;
        var data = image.Data;
        for (var c = 0; c < image.Channels; c++)
            for (var p = 0; p < plane; p++)
            {
                var other = otherPlane?[p] ?? otherValue;
                data[c * plane + p] = Math.Clamp(factor * data[c * plane + p] + (1 - factor) * other, 0f, 1f);
            }
    }

    // ITU-R 601-2 luma, as torchvision's rgb_to_grayscale.
    private static float[] Grayscale(ImageBuffer image)
    {
        var plane = image.Plane;
        var gray = new float[plane];
        if (image.Channels != 3)
        {
            Array.Copy(image.Data, gray, plane);
            return gray;
        }
        var d = image.Data;
        for (var p = 0; p < plane; p++) gray[p] = 0.299f * d[p] + 0.587f * d[plane + p] + 0.114f * d[2 * plane + p];
        return gray;
    }
}
