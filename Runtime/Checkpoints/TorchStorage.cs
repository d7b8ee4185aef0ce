namespace Dsl.Runtime.Checkpoints;

/// <summary>One storage record of a torch.save archive: a flat buffer that any number of tensors view.</summary>
internal sealed class TorchStorage(string key, ScalarType dtype, long elementCount, Tensor flat) : IDisposable
{
    public string Key { get; } = key;
    public ScalarType DType { get; } = dtype;
    public long ElementCount { get; } = elementCount;

    /// <summary>A 1-D tensor over the whole storage.</summary>
    public Tensor Flat { get; } = flat;

    public void Dispose() => Flat.Dispose();
}
