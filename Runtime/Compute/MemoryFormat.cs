namespace Dsl.Runtime.Compute;

/// <summary>How feature maps and convolution weights lie in memory: <c>--memory-format</c>, a spec's <c>training: memory_format:</c>,
/// and inference forms (PyTorch's memory formats).</summary>
public enum MemoryFormat
{
    /// <summary>Time a few warm-up batches in each layout and keep the faster, as cuDNN's benchmark mode does.</summary>
    Auto,

    /// <summary>NCHW: each channel's plane is contiguous.</summary>
    Nchw,

    /// <summary>NHWC strides on NCHW shapes: the channels of each pixel are contiguous, which selects libtorch's channels-last kernels.</summary>
    Nhwc,
}
