namespace Dsl.Runtime.Training;

/// <summary>What <c>--memory-format</c> and a spec's <c>training: memory_format:</c> ask for.</summary>
public enum MemoryFormatMode
{
    /// <summary>Time a few warm-up steps in each layout and keep the faster, as cuDNN's benchmark mode does.</summary>
    Auto,

    /// <summary>NCHW: each channel's plane is contiguous.</summary>
    Nchw,

    /// <summary>NHWC strides: the channels of each pixel are contiguous (libtorch's channels-last kernels).</summary>
    Nhwc,
}
