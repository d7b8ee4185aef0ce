namespace Dsl.Runtime.Data;

/// <summary>
/// One mini-batch: images (N x C x H x W float32) and labels (N, int64) on the CPU. The tensors belong to no
/// dispose scope; whoever takes the batch disposes it, which frees both at once.
/// </summary>
public sealed class Batch(Tensor images, Tensor labels, long[] labelValues, int index) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;

    /// <summary>The labels as managed values, for accuracy counts that need no tensor read-back.</summary>
    public long[] LabelValues { get; } = labelValues;

    /// <summary>The batch's position in its epoch (batches whose every sample was skipped leave a gap).</summary>
    public int Index { get; } = index;

    public int Count => LabelValues.Length;

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
