namespace Dsl.Runtime.Inference;

/// <summary>How an inference form lays out its feature maps and convolution weights in memory (PyTorch's memory formats).</summary>
public enum MemoryFormat
{
    /// <summary>NCHW: each channel's plane is contiguous.</summary>
    Contiguous,

    /// <summary>NHWC strides on NCHW shapes: the channels of each pixel are contiguous, which selects libtorch's channels-last kernels.</summary>
    ChannelsLast,
}
