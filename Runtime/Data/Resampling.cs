namespace Dsl.Runtime.Data;

/// <summary>Bilinear resampling with half-pixel centres, as torch's interpolate(align_corners=False).</summary>
public static class Resampling
{
    /// <summary>Resizes the region (top, left, height, width) of <paramref name="source"/> to outHeight x outWidth.</summary>
    public static ImageBuffer Bilinear(ImageBuffer source, int top, int left, int height, int width, int outHeight, int outWidth)
    {
        if (height <= 0 || width <= 0 || top < 0 || left < 0 || top + height > source.Height || left + width > source.Width)
            throw new ArgumentOutOfRangeException(nameof(height),
                $"region {height}x{width} at ({top}, {left}) is outside a {source.Height}x{source.Width} image");
        var result = new ImageBuffer(source.Channels, outHeight, outWidth);
        var (y0s, y1s, wy) = Axis(height, outHeight, top);
        var (x0s, x1s, wx) = Axis(width, outWidth, left);
        var src = source.Data;
        var dst = result.Data;
        for (var c = 0; c < source.Channels; c++)
        {
            var inPlane = c * source.Plane;
            var outPlane = c * result.Plane;
            for (var y = 0; y < outHeight; y++)
            {
                var row0 = inPlane + y0s[y] * source.Width;
                var row1 = inPlane + y1s[y] * source.Width;
                var fy = wy[y];
                var outRow = outPlane + y * outWidth;
                for (var x = 0; x < outWidth; x++)
                {
                    var fx = wx[x];
                    var top0 = src[row0 + x0s[x]] + (src[row0 + x1s[x]] - src[row0 + x0s[x]]) * fx;
                    var bottom = src[row1 + x0s[x]] + (src[row1 + x1s[x]] - src[row1 + x0s[x]]) * fx;
                    dst[outRow + x] = top0 + (bottom - top0) * fy;
                }
            }
        }
        return result;
    }

    public static ImageBuffer Bilinear(ImageBuffer source, int outHeight, int outWidth) =>
        Bilinear(source, 0, 0, source.Height, source.Width, outHeight, outWidth);

    // Source indices and weights along one axis; offset is where the cropped region starts.
    private static (int[] Low, int[] High, float[] Weight) Axis(int inSize, int outSize, int offset)
    {
        var low = new int[outSize];
        var high = new int[outSize];
        var weight = new float[outSize];
        var scale = (float)inSize / outSize;
        for (var i = 0; i < outSize; i++)
        {
            var position = Math.Max((i + 0.5f) * scale - 0.5f, 0f);
            var index = Math.Min((int)position, inSize - 1);
            low[i] = offset + index;
            high[i] = offset + Math.Min(index + 1, inSize - 1);
            weight[i] = position - index;
        }
        return (low, high, weight);
    }
}
