using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Inference;

// torch.Generator also where a project sees the Dsl.Generator namespace (this file is linked into Trainer.Tests).
using Generator = TorchSharp.torch.Generator;

/// <summary>
/// Gives a freshly built model the look of a trained one: running statistics and batch-norm affine values away
/// from 0 and 1 (a fresh batch norm is the identity in eval mode, which would let a wrong folding pass), and
/// non-zero convolution biases (squeeze-excitation).
/// </summary>
internal static class TrainedState
{
    public static void Apply(nn.Module model, long seed)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case BatchNorm2d norm:
                    var c = norm.num_features;
                    norm.running_mean!.copy_(randn(c, generator: generator) * 0.2);
                    norm.running_var!.copy_(rand(c, generator: generator) * 1.5 + 0.5);
                    norm.weight!.copy_(rand(c, generator: generator) + 0.5);
                    norm.bias!.copy_(randn(c, generator: generator) * 0.2);
                    break;
                case Conv2d { bias: not null } conv:
                    conv.bias.copy_(randn(conv.bias.shape, generator: generator) * 0.1);
                    break;
            }
        }
    }

    /// <summary>Images in [0, 1), float32 NCHW, as the model takes them.</summary>
    public static Tensor Images(long batch, long channels, long height, long width, long seed) =>
        rand([batch, channels, height, width], generator: new Generator((ulong)seed));
}
