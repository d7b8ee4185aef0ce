using Dsl.Runtime.Platform;
using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// Where a training-mode batch norm runs. libtorch's channels-last batch-norm kernels are several times slower than
/// its NCHW ones on maps of few channels, forward and backward (float32, one thread, batch 64, PyTorch 1.13's kernels:
/// 12x28x28 took 9.5 ms channels-last against 4.8 ms through NCHW, 6x14x14 1.9 against 0.5 ms; from 24 channels on
/// channels-last was the faster; in bLResNet-Small's float32 step batch norm fell from 25.8% to 13.7% of the CPU
/// samples). So a float32 norm of at most <see cref="MaxThinChannels"/> channels on a channels-last map runs NCHW and
/// its output is laid back channels-last. Under bfloat16 autocast the same gained nothing (batch norm 23.5% to 20.6% of
/// the samples, copies 3.1% to 6.5%), so bfloat16 input, evaluation, NCHW input and wider maps call the norm as it is.
/// </summary>
public static class BatchNormLayout
{
    /// <summary>The widest map normalized through NCHW while training channels-last.</summary>
    public const long MaxThinChannels = 16;

    /// <summary><paramref name="norm"/> applied to <paramref name="input"/>, in the layout of <paramref name="input"/>.</summary>
    public static Tensor Normalize(BatchNorm2d norm, Tensor input) =>
        norm.training && input.dtype == ScalarType.Float32 && input.shape[1] <= MaxThinChannels && input.IsChannelsLast()
            ? norm.call(input.contiguous()).ToChannelsLast()
            : norm.call(input);
}
