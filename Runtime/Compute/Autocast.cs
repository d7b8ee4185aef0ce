using TorchSharp.Modules;

namespace Dsl.Runtime.Compute;

/// <summary>
/// Mixed precision on TorchSharp, which has no autocast: inside <see cref="BFloat16"/> on a thread, every
/// convolution and linear layer called through <see cref="Call"/> computes in bfloat16, casting its input and its
/// float32 weights inside the autograd graph, so gradients reach the float32 weights the optimizer owns. Batch
/// norm is left to libtorch's mixed kernels (bfloat16 input, float32 weights and running statistics), and the
/// caller casts the logits to float32 for the loss. Outside a scope <see cref="Call"/> is the layer's own
/// <c>call</c>, so float32 runs are untouched. TorchSharp's Conv2d and Linear are sealed and their forward
/// hooks cannot change the weight a layer uses, hence one helper that the blocks and generated models go through.
/// </summary>
public static class Autocast
{
    [ThreadStatic] private static ScalarType? computeType;

    /// <summary>The type convolutions and linear layers compute in on this thread; null outside a scope.</summary>
    public static ScalarType? ComputeType => computeType;

    /// <summary>Convolutions and linear layers called through <see cref="Call"/> on this thread compute in bfloat16 until disposed.</summary>
    public static Scope BFloat16() => new(ScalarType.BFloat16);

    /// <summary>Runs <paramref name="module"/> on <paramref name="input"/> under this thread's policy: a convolution or linear
    /// layer (also inside a Sequential) in the scope's type, anything else through its own <c>call</c>.</summary>
    public static Tensor Call(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        if (computeType is not { } type) return module.call(input);
        return module switch
        {
            Conv2d conv => Convolve(conv, input, type),
            Linear linear => nn.functional.linear(input.to(type), linear.weight!.to(type), linear.bias?.to(type)),
            Sequential sequence => Chain(sequence, input),
            _ => module.call(input),
        };
    }

    /// <summary>
    /// Whether a convolution of <paramref name="inChannels"/> input channels computes in float32 under bfloat16 (and hands
    /// on bfloat16), here and in bfloat16 inference forms: one channel, a grey image's first convolution. It is a small share of a network's work,
    /// and oneDNN computed it wrong in bfloat16 on an AMD EPYC (a one-channel NHWC tensor is also an NCHW one, the
    /// layout oneDNN got wrong there; see <see cref="OneDnn"/>).
    /// </summary>
    public static bool KeepsFloat32(long inChannels) => inChannels == 1;

    private static Tensor Convolve(Conv2d conv, Tensor input, ScalarType type)
    {
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding_type is not null)
            throw new NotSupportedException(
                $"mixed precision runs convolutions with explicit zero padding; {conv.GetName()} pads {conv.padding_mode} with padding type {conv.padding_type?.ToString() ?? "none"}");
        if (KeepsFloat32(conv.in_channels))
        {
            using var full = conv.call(input.to(ScalarType.Float32));
            return full.to(type);
        }
        return nn.functional.conv2d(input.to(type), conv.weight!.to(type), conv.bias?.to(type), conv.stride, conv.padding, conv.dilation,
            conv.groups);
    }

    private static Tensor Chain(Sequential sequence, Tensor input)
    {
        // Intermediates belong to the caller's dispose scope, as they would inside Sequential's own forward.
        var x = input;
        foreach (var child in sequence.children()) x = Call((nn.Module<Tensor, Tensor>)child, x);
        return x;
    }

    /// <summary>A thread's mixed-precision region; disposing restores what was in force before it.</summary>
    public sealed class Scope : IDisposable
    {
        private readonly ScalarType? previous;
        private bool disposed;

        internal Scope(ScalarType type)
        {
            previous = computeType;
            computeType = type;
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            computeType = previous;
        }
    }
}
