namespace Dsl.Runtime.Data;

/// <summary>
/// torchvision's RandomRotation(degrees): rotates about the centre by a uniform angle in [-degrees, degrees],
/// nearest-neighbour, same size, uncovered pixels set to zero.
/// </summary>
public sealed class RandomRotation(double degrees) : IImageTransform
{
    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        var angle = random.Uniform(-degrees, degrees) * Math.PI / 180;
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        var (cy, cx) = ((image.Height - 1) / 2.0, (image.Width - 1) / 2.0);
        var result = new ImageBuffer(image.Channels, image.Height, image.Width);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                // Inverse mapping: where this output pixel comes from (positive angle turns counter-clockwise).
                var dx = x - cx;
                var dy = y - cy;
                var sx = (int)Math.Round(cos * dx - sin * dy + cx);
                var sy = (int)Math.Round(sin * dx + cos * dy + cy);
                if (sx < 0 || sy < 0 || sx >= image.Width || sy >= image.Height) continue;
                for (var c = 0; c < image.Channels; c++)
                    result.Data[(c * image.Height + y) * image.Width + x] = image.Data[(c * image.Height + sy) * image.Width + sx];
            }
        return result;
    }
}
