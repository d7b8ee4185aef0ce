namespace Dsl.Runtime.Checkpoints;

/// <summary>The raw row-major bytes of a tensor, as both torch.save storages and safetensors hold them.</summary>
internal static class TensorBytes
{
    /// <summary>
    /// A span over a contiguous CPU copy of the tensor (or over the tensor itself when it already is one).
    /// Call inside a dispose scope and use the span before the scope ends: the copy lives only that long.
    /// </summary>
    public static ReadOnlySpan<byte> Of(Tensor tensor)
    {
        if (tensor.numel() == 0) return [];
        var plain = tensor.detach().cpu().contiguous();
        return plain.bytes;
    }
}
