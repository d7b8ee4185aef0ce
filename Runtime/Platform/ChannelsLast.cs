namespace Dsl.Runtime.Platform;

/// <summary>
/// NHWC strides for a 4-d tensor (and a module's 4-d weights), which make libtorch choose its channels-last
/// kernels; TorchSharp has no memory-format argument, so the layout is set by permuting and copying.
/// </summary>
public static class ChannelsLast
{
    public static Tensor ToChannelsLast(this Tensor t) =>
        t.dim() == 4 ? t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : t;

    /// <summary>Whether a 4-d tensor has NHWC strides that NCHW's do not share (a map of one pixel has both).</summary>
    public static bool IsChannelsLast(this Tensor t) => t.dim() == 4 && t.stride(1) == 1 && t.shape[2] * t.shape[3] > 1;

    /// <summary>Lays every 4-d parameter of the module out NHWC, in place of its storage.</summary>
    public static void ToChannelsLast(this nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, parameter) in module.named_parameters())
            if (parameter.dim() == 4) parameter.set_(parameter.ToChannelsLast());
    }
}
