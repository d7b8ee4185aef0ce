using Dsl.Runtime.Platform;
using TorchSharp.Modules;

namespace Dsl.Runtime.Compute;

/// <summary>
/// Mixed precision through libtorch's own autocast (<see cref="LibTorchAutocast"/>): inside <see cref="BFloat16"/> on a
/// thread, every convolution and linear layer, in the blocks, the generated models and the caller's own code alike,
/// computes in bfloat16, casting its input and its float32 weights inside the autograd graph, so gradients reach the
/// float32 weights the optimizer owns. Batch norm, pooling, upsampling and concatenation keep their input's type, so
/// batch norm runs libtorch's mixed kernels (bfloat16 input, float32 weights and running statistics); the caller casts
/// the logits to float32 for the loss. One convolution is kept in float32: a grey image's first (<see cref="Stem"/>).
/// </summary>
public static class Autocast
{
    /// <summary>The type convolutions and linear layers compute in on this thread; null outside a region.</summary>
    public static ScalarType? ComputeType => LibTorchAutocast.Enabled ? LibTorchAutocast.DType : null;

    /// <summary>Convolutions and linear layers on this thread compute in bfloat16 until disposed; regions nest.</summary>
    public static IDisposable BFloat16() => LibTorchAutocast.Enter(ScalarType.BFloat16);

    /// <summary>
    /// Whether a convolution of <paramref name="inChannels"/> input channels computes in float32 under bfloat16 (and hands
    /// on bfloat16), here and in bfloat16 inference forms: one channel, a grey image's first convolution. It is a small share of a network's work,
    /// and oneDNN computed it wrong in bfloat16 on an AMD EPYC (a one-channel NHWC tensor is also an NCHW one, the
    /// layout oneDNN got wrong there; see <see cref="OneDnn"/>).
    /// </summary>
    public static bool KeepsFloat32(long inChannels) => inChannels == 1;

    /// <summary>A model's first convolution, which reads the images: in float32 where <see cref="KeepsFloat32"/> says so,
    /// its output handed on in the region's type; elsewhere the layer's own <c>call</c>.</summary>
    public static Tensor Stem(Conv2d conv, Tensor images)
    {
        if (ComputeType is not { } type || !KeepsFloat32(conv.in_channels)) return conv.call(images);
        using var suspended = LibTorchAutocast.Suspend();
        using var full = conv.call(images.to(ScalarType.Float32));
        return full.to(type);
    }
}
