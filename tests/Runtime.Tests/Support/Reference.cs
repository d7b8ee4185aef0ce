namespace Dsl.Runtime.Tests.Support;

/// <summary>
/// Direct nested-loop versions of the kernels, written from their definitions, on row-major NCHW
/// arrays of doubles. They are slow and obvious on purpose.
/// </summary>
internal static class Reference
{
    public static double[] Conv2d(double[] x, long[] xShape, double[] w, long[] wShape, double[]? bias,
        int stride, int padding, int dilation, int groups, out long[] outShape)
    {
        long n = xShape[0], c = xShape[1], h = xShape[2], wd = xShape[3];
        long o = wShape[0], cg = wShape[1], k = wShape[2];
        long oh = (h + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        long ow = (wd + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        Assert.Equal(c, cg * groups);
        var outPerGroup = o / groups;
        outShape = [n, o, oh, ow];
        var y = new double[n * o * oh * ow];
        for (long b = 0; b < n; b++)
        for (long oc = 0; oc < o; oc++)
        {
            var g = oc / outPerGroup;
            for (long i = 0; i < oh; i++)
            for (long j = 0; j < ow; j++)
            {
                var sum = bias?[oc] ?? 0.0;
                for (long ic = 0; ic < cg; ic++)
                for (long ki = 0; ki < k; ki++)
                for (long kj = 0; kj < k; kj++)
                {
                    var row = i * stride - padding + ki * dilation;
                    var col = j * stride - padding + kj * dilation;
                    if (row < 0 || row >= h || col < 0 || col >= wd) continue;
                    var channel = g * cg + ic;
                    sum += x[((b * c + channel) * h + row) * wd + col] * w[((oc * cg + ic) * k + ki) * k + kj];
                }
                y[((b * o + oc) * oh + i) * ow + j] = sum;
            }
        }
        return y;
    }

    /// <summary>PyTorch's pooled size: floor or ceil, and a last window must start inside the input or its left padding.</summary>
    public static long PooledSize(long size, int kernel, int stride, int padding, bool ceilMode)
    {
        var span = size + 2 * padding - kernel;
        var output = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (output - 1) * stride >= size + padding) output--;
        return output;
    }

    public static double[] MaxPool2d(double[] x, long[] shape, int kernel, int stride, int padding, bool ceilMode, out long[] outShape) =>
        Pool(x, shape, kernel, stride, padding, ceilMode, out outShape, (window, _, _) => window.Max());

    /// <summary>
    /// Average pooling. With count_include_pad the divisor is the window clipped to the padded input
    /// (so a 3x3 window at a padded corner still divides by 9); without it, the number of real cells.
    /// </summary>
    public static double[] AvgPool2d(double[] x, long[] shape, int kernel, int stride, int padding, bool ceilMode,
        bool countIncludePad, out long[] outShape) =>
        Pool(x, shape, kernel, stride, padding, ceilMode, out outShape,
            (window, paddedArea, _) => window.Sum() / (countIncludePad ? paddedArea : window.Count));

    private static double[] Pool(double[] x, long[] shape, int kernel, int stride, int padding, bool ceilMode,
        out long[] outShape, Func<List<double>, long, int, double> reduce)
    {
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var oh = PooledSize(h, kernel, stride, padding, ceilMode);
        var ow = PooledSize(w, kernel, stride, padding, ceilMode);
        outShape = [n, c, oh, ow];
        var y = new double[n * c * oh * ow];
        var window = new List<double>();
        for (long plane = 0; plane < n * c; plane++)
        for (long i = 0; i < oh; i++)
        for (long j = 0; j < ow; j++)
        {
            long top = i * stride - padding, left = j * stride - padding;
            long bottom = Math.Min(top + kernel, h + padding), right = Math.Min(left + kernel, w + padding);
            var paddedArea = (bottom - top) * (right - left);
            window.Clear();
            for (var row = Math.Max(top, 0); row < Math.Min(bottom, h); row++)
            for (var col = Math.Max(left, 0); col < Math.Min(right, w); col++)
                window.Add(x[(plane * h + row) * w + col]);
            y[(plane * oh + i) * ow + j] = reduce(window, paddedArea, 0);
        }
        return y;
    }

    /// <summary>Adaptive average pooling: cell i covers [floor(i·in/out), ceil((i+1)·in/out)).</summary>
    public static double[] AdaptiveAvgPool2d(double[] x, long[] shape, long oh, long ow)
    {
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var y = new double[n * c * oh * ow];
        for (long plane = 0; plane < n * c; plane++)
        for (long i = 0; i < oh; i++)
        for (long j = 0; j < ow; j++)
        {
            long top = i * h / oh, bottom = ((i + 1) * h + oh - 1) / oh;
            long left = j * w / ow, right = ((j + 1) * w + ow - 1) / ow;
            double sum = 0;
            for (var row = top; row < bottom; row++)
            for (var col = left; col < right; col++)
                sum += x[(plane * h + row) * w + col];
            y[(plane * oh + i) * ow + j] = sum / ((bottom - top) * (right - left));
        }
        return y;
    }

    /// <summary>Legacy 'nearest': source index floor(dst · in / out), clamped to the last cell.</summary>
    public static double[] Nearest(double[] x, long[] shape, long oh, long ow)
    {
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var y = new double[n * c * oh * ow];
        for (long plane = 0; plane < n * c; plane++)
        for (long i = 0; i < oh; i++)
        for (long j = 0; j < ow; j++)
        {
            var row = Math.Min((long)Math.Floor(i * (float)h / oh), h - 1);
            var col = Math.Min((long)Math.Floor(j * (float)w / ow), w - 1);
            y[(plane * oh + i) * ow + j] = x[(plane * h + row) * w + col];
        }
        return y;
    }

    /// <summary>Bilinear with align_corners=false: source = (dst + 0.5) · in / out − 0.5, clamped at 0.</summary>
    public static double[] Bilinear(double[] x, long[] shape, long oh, long ow)
    {
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var y = new double[n * c * oh * ow];
        for (long plane = 0; plane < n * c; plane++)
        for (long i = 0; i < oh; i++)
        for (long j = 0; j < ow; j++)
        {
            var (r0, r1, rl) = Source(i, h, oh);
            var (c0, c1, cl) = Source(j, w, ow);
            double At(long r, long col) => x[(plane * h + r) * w + col];
            y[(plane * oh + i) * ow + j] =
                (1 - rl) * ((1 - cl) * At(r0, c0) + cl * At(r0, c1)) + rl * ((1 - cl) * At(r1, c0) + cl * At(r1, c1));
        }
        return y;

        static (long Low, long High, double Weight) Source(long dst, long input, long output)
        {
            var source = Math.Max((dst + 0.5) * input / output - 0.5, 0);
            var low = (long)Math.Floor(source);
            return (low, Math.Min(low + 1, input - 1), source - low);
        }
    }
}
