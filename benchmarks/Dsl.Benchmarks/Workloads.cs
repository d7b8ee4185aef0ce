using static TorchSharp.torch;

namespace Dsl.Benchmarks;

/// <summary>
/// The workloads timed in this runtime. peer.py runs the same ones in PyTorch: keep the shapes and the
/// steps of the two in step.
/// </summary>
public static class Workloads
{
    public const int SmallOpCount = 1000;
    public static readonly long[] SmallShape = [16, 16];
    public static readonly long[] ConvInput = [16, 64, 56, 56];
    public static readonly long[] ConvWeight = [64, 64, 3, 3];

    /// <summary>
    /// (a) 1000 × relu(x + y) on 16x16 tensors: measures per-call overhead, not arithmetic. A scope per
    /// iteration frees the results at once, as Python's reference counting does on the other side.
    /// </summary>
    public static Action SmallOps()
    {
        var x = randn(SmallShape);
        var y = randn(SmallShape);
        return () =>
        {
            for (var i = 0; i < SmallOpCount; i++)
            {
                using var scope = NewDisposeScope();
                x.add(y).relu();
            }
        };
    }

    /// <summary>(b) One 3x3 convolution, 64 → 64 channels on 16x64x56x56, forward and backward to input and weight.</summary>
    public static Action ConvForwardBackward()
    {
        var input = randn(ConvInput).requires_grad_();
        var weight = randn(ConvWeight).mul_(0.05).requires_grad_();
        var upstream = ones(ConvInput[0], ConvWeight[0], ConvInput[2], ConvInput[3]);
        return () =>
        {
            using var scope = NewDisposeScope();
            input.grad = null;
            weight.grad = null;
            nn.functional.conv2d(input, weight, padding: [1, 1]).backward([upstream]);
        };
    }
}
