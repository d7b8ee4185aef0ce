namespace Dsl.Runtime.Platform;

/// <summary>
/// A convolution and what follows it, a ReLU or a residual sum and a ReLU, as one oneDNN primitive: libtorch's
/// <c>mkldnn::_convolution_pointwise</c> operators, which PyTorch's compiler emits on CPU. The output is written
/// once instead of being read back by separate add and ReLU passes, which on a memory-bound CPU cost as much as
/// a 1x1 convolution. <see cref="Supports"/> says which tensors they take.
/// </summary>
/// <remarks>
/// TorchSharp binds no such operator, so the calls below are the code of a small TorchScript module
/// (<see cref="ScriptArchive"/>), loaded once.
/// </remarks>
internal sealed class OneDnnConvolution
{
    private const string Code = """
        class Kernels(Module):
          __parameters__ = []
          __buffers__ = []
          training : bool
          def forward(self: __torch__.Kernels, x: Tensor) -> Tensor:
            return x
          def convolve(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Optional[Tensor], ph: int, pw: int, sh: int, sw: int, dh: int, dw: int, groups: int, relu: bool) -> Tensor:
            attr = "relu" if relu else "none"
            return ops.mkldnn._convolution_pointwise(x, w, b, [ph, pw], [sh, sw], [dh, dw], groups, attr, annotate(List[Optional[number]], []), None)
          def convolve_add_(self: __torch__.Kernels, residual: Tensor, x: Tensor, w: Tensor, b: Optional[Tensor], ph: int, pw: int, sh: int, sw: int, dh: int, dw: int, groups: int, relu: bool) -> Tensor:
            attr = "relu" if relu else "none"
            return ops.mkldnn._convolution_pointwise_(residual, x, w, b, [ph, pw], [sh, sw], [dh, dw], groups, "add", 1.0, attr, annotate(List[Optional[number]], []), None)

        """;

    private static readonly Lazy<OneDnnConvolution> Shared = new(() => new OneDnnConvolution());

    private readonly jit.ScriptModule kernels;

    private OneDnnConvolution() => kernels = ScriptArchive.Load(Code);

    public static OneDnnConvolution Instance => Shared.Value;

    /// <summary>
    /// Whether these operators take <paramref name="input"/>: a channels-last CPU tensor in float32, or in bfloat16 where
    /// the CPU has oneDNN's bfloat16 convolution (<see cref="CpuCapabilities.OneDnnBFloat16"/>; elsewhere libtorch refuses
    /// the call), while <see cref="OneDnn.Enabled"/>. On
    /// NCHW input they are slower than libtorch's own convolution (which reorders differently), and libtorch fuses a
    /// sum only for channels-last tensors, its fallback having no bfloat16 add-and-ReLU.
    /// </summary>
    public static bool Supports(Tensor input) =>
        OneDnn.Enabled && input.device_type == DeviceType.CPU && input.IsChannelsLast()
        && (input.dtype == ScalarType.Float32 || input.dtype == ScalarType.BFloat16 && CpuCapabilities.Current.OneDnnBFloat16);

    /// <summary>Whether <see cref="ConvolveAdd"/> takes these tensors: both as <see cref="Supports"/> asks, of one type.</summary>
    public static bool SupportsAdd(Tensor residual, Tensor input) =>
        Supports(input) && Supports(residual) && residual.dtype == input.dtype;

    /// <summary>The convolution, then a ReLU if <paramref name="relu"/>.</summary>
    public Tensor Convolve(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups,
        bool relu)
    {
        using var arguments = new ScriptArguments(input, weight, bias, padding[0], padding[1], stride[0], stride[1], dilation[0], dilation[1],
            groups, relu);
        return (Tensor)kernels.invoke("convolve", arguments.Values);
    }

    /// <summary>
    /// <paramref name="residual"/> plus the convolution of <paramref name="input"/>, then a ReLU if
    /// <paramref name="relu"/>, written into <paramref name="residual"/>, which is returned.
    /// </summary>
    public Tensor ConvolveAdd(Tensor residual, Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation,
        long groups, bool relu)
    {
        using var arguments = new ScriptArguments(residual, input, weight, bias, padding[0], padding[1], stride[0], stride[1], dilation[0],
            dilation[1], groups, relu);
        return (Tensor)kernels.invoke("convolve_add_", arguments.Values);
    }
}
