namespace Dsl.Runtime.Data;

/// <summary>Per-channel (x - mean) / std, in place.</summary>
public sealed class Normalize(float[] mean, float[] std) : IImageTransform
{
    public static readonly Normalize ImageNet = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        if (image.Channels != mean.Length)
            throw new ArgumentException($"normalization has {mean.Length} channels, the image {image.Channels}");
        var plane = image.Plane;
        for (var c = 0; c < image.Channels; c++)
        {
            var (m, s) = (mean[c], 1f / std[c]);
            var span = image.Data.AsSpan(c * plane, plane);
            for (var p = 0; p < span.Length; p++) span[p] = (span[p] - m) * s;
        }
        return image;
    }
}
