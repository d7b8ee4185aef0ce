using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// The initialization of the original networks: kaiming-normal (fan_out, ReLU gain) for every convolution,
/// including the squeeze-excitation 1x1 convolutions, whose biases start at 0; batch norms at weight 1 and
/// bias 0; linear layers keep PyTorch's default. Big-Little Net also zeroes the last batch-norm gamma of
/// every bottleneck (bn3), so each residual branch starts as the identity.
/// </summary>
public static class WeightInit
{
    public static void Apply(nn.Module model, bool zeroInitLastBatchNorm)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d norm:
                    nn.init.ones_(norm.weight);
                    nn.init.zeros_(norm.bias);
                    break;
            }
        }
        if (!zeroInitLastBatchNorm) return;
        foreach (var block in model.modules().OfType<Bottleneck>())
            nn.init.zeros_(block.Bn3.weight);
    }
}
