using System.Collections.Generic;
using Dsl.Generator.Infrastructure;

namespace Dsl.Generator.Description;

/// <summary>
/// Shape arithmetic and cost counting as the original models count: trainable parameters (batch-norm
/// statistics excluded) and multiply-adds of Conv2d and Linear layers only, bias adds not counted.
/// </summary>
internal sealed class CostCounter
{
    private readonly List<LayerRow> rows = [];

    public long Parameters { get; private set; }
    public long MultiplyAdds { get; private set; }

    public EquatableArray<LayerRow> Rows => rows.ToEquatableArray();

    /// <summary>Output size of a convolution or pooling window along one axis (floor mode).</summary>
    public static int OutputSize(int size, int kernel, int stride, int padding) =>
        size + 2 * padding < kernel ? 0 : (size + 2 * padding - kernel) / stride + 1;

    public static (long Parameters, long MultiplyAdds) Conv(int inChannels, int outChannels, int kernel, int groups, bool bias, int outHeight, int outWidth)
    {
        // Checked: absurd specs must fail with a diagnostic, not wrap around to plausible-looking figures.
        checked
        {
            long weights = (long)outChannels * (inChannels / groups) * kernel * kernel;
            return (weights + (bias ? outChannels : 0), weights * outHeight * outWidth);
        }
    }

    public static long BatchNorm(int channels) => 2L * channels;

    public void Add(string name, string kind, FeatureShape output, long parameters, long multiplyAdds) =>
        AddRow(name, kind, [1, output.Channels, output.Height, output.Width], parameters, multiplyAdds);

    public void AddRow(string name, string kind, long[] outputShape, long parameters, long multiplyAdds)
    {
        rows.Add(new LayerRow(name, kind, outputShape.ToEquatableArray(), parameters, multiplyAdds));
        Parameters = checked(Parameters + parameters);
        MultiplyAdds = checked(MultiplyAdds + multiplyAdds);
    }
}
