namespace Dsl.Runtime.Platform;

/// <summary>
/// NHWC strides for a 4-d tensor (and a module's 4-d weights), which make libtorch choose its channels-last
/// kernels; TorchSharp has no memory-format argument, so the layout is set by copying into NHWC strides.
/// </summary>
public static class ChannelsLast
{
    /// <summary>
    /// <paramref name="t"/> with NHWC strides: itself when it has them, else a copy that is a tensor of its own, not a
    /// view. An in-place op on a view (a block's <c>relu_</c> after a norm laid back channels-last) makes autograd
    /// rebuild the whole base's gradient and run the op's backward on mismatched strides: ReLU's backward took 12.6% of
    /// bLResNet-Small's float32 training step when the layout was a permuted view, 5.4% with the copy.
    /// </summary>
    public static Tensor ToChannelsLast(this Tensor t)
    {
        if (t.dim() != 4) return t;
        var strides = NhwcStrides(t.shape);
        if (HasStrides(t, strides)) return t;
        return empty_strided(t.shape, strides, t.dtype, t.device).copy_(t);
    }

    /// <summary>Whether a 4-d tensor has NHWC strides that NCHW's do not share (a map of one pixel has both).</summary>
    public static bool IsChannelsLast(this Tensor t) => t.dim() == 4 && t.stride(1) == 1 && t.shape[2] * t.shape[3] > 1;

    /// <summary>Lays every 4-d parameter of the module out NHWC, in place of its storage.</summary>
    public static void ToChannelsLast(this nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, parameter) in module.named_parameters())
            if (parameter.dim() == 4) parameter.set_(parameter.ToChannelsLast());
    }

    private static long[] NhwcStrides(long[] shape) => [shape[1] * shape[2] * shape[3], 1, shape[1] * shape[3], shape[1]];

    // A dimension of size one has no stride that matters.
    private static bool HasStrides(Tensor t, long[] strides)
    {
        for (var d = 0; d < 4; d++)
            if (t.shape[d] > 1 && t.stride(d) != strides[d]) return false;
        return true;
    }
}
