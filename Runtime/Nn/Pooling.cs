namespace Dsl.Runtime.Nn;

public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false) : Module<Tensor, Tensor>
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;
    public bool CeilMode { get; } = ceilMode;

    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, CeilMode);
}

/// <summary>Average pooling; like PyTorch it counts padded zeros in the divisor unless told otherwise.</summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    : Module<Tensor, Tensor>
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;
    public bool CeilMode { get; } = ceilMode;
    public bool CountIncludePad { get; } = countIncludePad;

    public override Tensor Forward(Tensor input) =>
        Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);
}

public sealed class AdaptiveAvgPool2d(int height, int width) : Module<Tensor, Tensor>
{
    public AdaptiveAvgPool2d(int size) : this(size, size) { }

    public int Height { get; } = height;
    public int Width { get; } = width;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, Height, Width);
}
