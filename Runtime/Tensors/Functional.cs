using Dsl.Runtime.Native;

namespace Dsl.Runtime;

public enum InterpolationMode
{
    /// <summary>PyTorch's default 'nearest': source index = floor(dst * in / out).</summary>
    Nearest = 0,
    /// <summary>Bilinear with align_corners = false (half-pixel centres).</summary>
    Bilinear = 1,
}

public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

/// <summary>The neural-network kernels, as PyTorch's torch.nn.functional names them.</summary>
public static class Functional
{
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null,
        int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        long* s = stackalloc long[] { stride, stride };
        long* p = stackalloc long[] { padding, padding };
        long* d = stackalloc long[] { dilation, dilation };
        return new(NativeMethods.dsl_conv2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, s, p, d, groups));
    }

    /// <summary>Batch normalization; in training it uses batch statistics and updates the running ones in place.</summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum = 0.1, double eps = 1e-5) =>
        new(NativeMethods.dsl_batch_norm(input.Handle, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero,
            runningMean?.Handle ?? IntPtr.Zero, runningVar?.Handle ?? IntPtr.Zero, training ? 1 : 0, momentum, eps));

    public static Tensor Relu(Tensor input) => input.Relu();
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    public static unsafe Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false)
    {
        var step = stride ?? kernelSize;
        long* k = stackalloc long[] { kernelSize, kernelSize };
        long* s = stackalloc long[] { step, step };
        long* p = stackalloc long[] { padding, padding };
        long* d = stackalloc long[] { 1, 1 };
        return new(NativeMethods.dsl_max_pool2d(input.Handle, k, s, p, d, ceilMode ? 1 : 0));
    }

    public static unsafe Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0,
        bool ceilMode = false, bool countIncludePad = true)
    {
        var step = stride ?? kernelSize;
        long* k = stackalloc long[] { kernelSize, kernelSize };
        long* s = stackalloc long[] { step, step };
        long* p = stackalloc long[] { padding, padding };
        return new(NativeMethods.dsl_avg_pool2d(input.Handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0));
    }

    public static Tensor AdaptiveAvgPool2d(Tensor input, long height, long width) =>
        new(NativeMethods.dsl_adaptive_avg_pool2d(input.Handle, height, width));

    public static Tensor Interpolate(Tensor input, long height, long width, InterpolationMode mode = InterpolationMode.Nearest) =>
        new(NativeMethods.dsl_interpolate(input.Handle, height, width, (int)mode));

    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        new(NativeMethods.dsl_linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero));

    public static Tensor Dropout(Tensor input, double p, bool training) =>
        new(NativeMethods.dsl_dropout(input.Handle, p, training ? 1 : 0));

    public static Tensor LogSoftmax(Tensor input, long dim) => new(NativeMethods.dsl_log_softmax(input.Handle, dim));
    public static Tensor Softmax(Tensor input, long dim) => new(NativeMethods.dsl_softmax(input.Handle, dim));

    /// <summary>Cross-entropy of logits (N, C) against class indices (N), as nn.CrossEntropyLoss.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean, double labelSmoothing = 0) =>
        new(NativeMethods.dsl_cross_entropy(logits.Handle, target.Handle, (int)reduction, labelSmoothing));
}
