namespace Dsl.Runtime.Data;

/// <summary>
/// One mini-batch: images (N x C x H x W float32) and labels (N, int64). The tensors belong to no scope;
/// whoever takes the batch disposes it.
/// </summary>
public sealed class Batch(Tensor images, Tensor labels, long[] labelValues, int index) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public long[] LabelValues { get; } = labelValues;
    public int Index { get; } = index;
    public int Count => LabelValues.Length;

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
