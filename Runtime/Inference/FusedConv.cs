using Dsl.Runtime.Compute;
using Dsl.Runtime.Platform;
using TorchSharp.Modules;

namespace Dsl.Runtime.Inference;

/// <summary>
/// A convolution of an inference form: its batch norm folded in (or its own bias kept), then an optional
/// in-place ReLU. Weight and bias are copies in the layout's precision and memory format, so later training
/// of the model does not reach them. Keys are those of the convolution: weight, bias.
/// </summary>
public sealed class FusedConv : nn.Module<Tensor, Tensor>
{
    private readonly Tensor weight;
    private readonly Tensor? bias;
    private readonly long[] stride;
    private readonly long[] padding;
    private readonly long[] dilation;
    private readonly long groups;
    // Where the convolution stays in float32 in a bfloat16 form (Autocast.KeepsFloat32): the type it hands on.
    private readonly ScalarType? outputType;

    public bool Relu { get; }

    /// <summary>The convolution's stride, padding, dilation and groups (the kernel is the weight's); copies, so a reader cannot change this one.</summary>
    public ConvGeometry Geometry => new([.. stride], [.. padding], [.. dilation], groups);

    private FusedConv(Conv2d conv, Tensor weight, Tensor? bias, InferenceLayout layout, bool relu) : base(nameof(FusedConv))
    {
        if (conv.padding is null || conv.padding_mode != PaddingModes.Zeros)
            throw new ArgumentException("Only convolutions with explicit zero padding are folded.", nameof(conv));
        if (layout.Precision == Precision.BFloat16 && Autocast.KeepsFloat32(conv.in_channels))
        {
            outputType = layout.DType;
            layout = layout with { Precision = Precision.Float32 };
        }
        this.weight = layout.Convert(weight);
        this.bias = bias?.to(layout.DType);
        stride = conv.stride;
        padding = conv.padding;
        dilation = conv.dilation;
        groups = conv.groups;
        Relu = relu;
        RegisterComponents();
    }

    /// <summary>The convolution with the batch norm after it folded in.</summary>
    public static FusedConv Fold(Conv2d conv, BatchNorm2d norm, InferenceLayout layout, bool relu)
    {
        var (weight, bias) = BatchNormFolding.Fold(conv, norm);
        using (weight)
        using (bias)
            return new FusedConv(conv, weight, bias, layout, relu);
    }

    /// <summary>A convolution with no batch norm after it (squeeze-excitation), taken as it is.</summary>
    public static FusedConv Copy(Conv2d conv, InferenceLayout layout, bool relu)
    {
        using var noGrad = no_grad();
        using var weight = conv.weight.detach().clone();
        using var bias = conv.bias?.detach().clone();
        return new FusedConv(conv, weight, bias, layout, relu);
    }

    public override Tensor forward(Tensor input)
    {
        if (outputType is not { } type) return Convolve(input);
        using var scope = NewDisposeScope();
        return Convolve(input.to(weight.dtype)).to(type).MoveToOuterDisposeScope();
    }

    private Tensor Convolve(Tensor input)
    {
        if (OneDnnConvolution.Supports(input))
            return OneDnnConvolution.Instance.Convolve(input, weight, bias, stride, padding, dilation, groups, Relu);
        var output = nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
        return Relu ? output.relu_() : output;
    }

    /// <summary>
    /// A residual join: <paramref name="residual"/> plus this convolution of <paramref name="input"/>, then a ReLU
    /// (this convolution's own ReLU is not applied before the sum). The sum is written into
    /// <paramref name="residual"/>, which the caller gives up; the result is returned.
    /// </summary>
    public Tensor AddInto(Tensor residual, Tensor input)
    {
        // A float32 convolution in a bfloat16 form: its input is cast, and the sum (types differ) takes the separate passes.
        using var cast = outputType is null ? null : input.to(weight.dtype);
        var x = cast ?? input;
        if (OneDnnConvolution.SupportsAdd(residual, x))
            return OneDnnConvolution.Instance.ConvolveAdd(residual, x, weight, bias, stride, padding, dilation, groups, relu: true);
        using var output = nn.functional.conv2d(x, weight, bias, stride, padding, dilation, groups);
        return residual.add_(output).relu_();
    }

    /// <summary>A 2-d convolution's settings other than its kernel: per axis (height, width) stride, symmetric zero padding and dilation, and its groups.</summary>
    public sealed record ConvGeometry(IReadOnlyList<long> Stride, IReadOnlyList<long> Padding, IReadOnlyList<long> Dilation, long Groups);
}
