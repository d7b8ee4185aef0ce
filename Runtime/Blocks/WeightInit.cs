using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// The initialization of the original networks: kaiming-normal (fan_out, ReLU gain) for every convolution,
/// including the squeeze-excitation 1x1 convolutions, whose biases start at 0; batch norms at weight 1 and
/// bias 0; linear layers keep PyTorch's default. Big-Little Net also zeroes the last batch-norm gamma of
/// every bottleneck (bn3), so each residual branch starts as the identity.
/// </summary>
public static class WeightInit
{
    public static void Apply(Module model, bool zeroInitLastBatchNorm)
    {
        foreach (var (_, module) in model.NamedModules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Init.KaimingNormalFanOut(conv.Weight);
                    if (conv.Bias is not null) Init.Constant(conv.Bias, 0);
                    break;
                case BatchNorm2d norm:
                    Init.Constant(norm.Weight, 1);
                    Init.Constant(norm.Bias, 0);
                    break;
            }
        }
        if (!zeroInitLastBatchNorm) return;
        foreach (var (_, module) in model.NamedModules())
            if (module is Bottleneck block)
                Init.Constant(block.Bn3.Weight, 0);
    }
}
