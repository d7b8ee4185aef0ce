using Dsl.Runtime.Platform;
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

    /// <summary>The batch's position in its epoch (in <see cref="DataLoader.Epoch"/>, batches whose every sample was skipped leave a gap).</summary>
    public int Index { get; } = index;

    public int Count => LabelValues.Length;

    /// <summary>Images and labels on <paramref name="device"/>, the images NHWC-strided when asked; new tensors join the current dispose scope.</summary>
    public (Tensor Images, Tensor Labels) To(Device device, bool channelsLast)
    {
        var images = device.type == DeviceType.CPU ? Images : Images.to(device);
        var labels = device.type == DeviceType.CPU ? Labels : Labels.to(device);
        return (channelsLast ? images.ToChannelsLast() : images, labels);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
