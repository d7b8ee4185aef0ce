using Dsl.Runtime.Blocks;
using Dsl.Runtime.Platform;

namespace Dsl.Runtime.Tests.Blocks;

/// <summary>A thin channels-last map normalized through NCHW gives what the norm gives on it directly: the output (laid
/// back channels-last), the input's gradient, the weights' gradients and the running statistics.</summary>
public sealed class BatchNormLayoutTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(BatchNormLayout.MaxThinChannels)]
    [InlineData(24)]
    public void AThinMapIsNormalizedThroughNchwAsTheNormWould(long channels)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var input = randn(8, channels, 14, 14).ToChannelsLast();
        var gradient = randn(8, channels, 14, 14).ToChannelsLast();
        var (direct, directInput, directNorm) = Run(input, gradient, (norm, x) => norm.call(x));
        var (laid, laidInput, laidNorm) = Run(input, gradient, BatchNormLayout.Normalize);

        Assert.True(laid.IsChannelsLast(), "the output left the input's layout");
        Assert.True(allclose(laid, direct, rtol: 1e-5, atol: 1e-5), "the outputs differ");
        Assert.True(allclose(laidInput, directInput, rtol: 1e-4, atol: 1e-5), "the input gradients differ");
        Assert.True(allclose(laidNorm.weight!.grad!, directNorm.weight!.grad!, rtol: 1e-4, atol: 1e-4), "the weight gradients differ");
        Assert.True(allclose(laidNorm.running_mean!, directNorm.running_mean!, rtol: 1e-5, atol: 1e-6), "the running means differ");
        Assert.True(allclose(laidNorm.running_var!, directNorm.running_var!, rtol: 1e-5, atol: 1e-6), "the running variances differ");
    }

    [Fact]
    public void EvaluationCallsTheNormAsItIs()
    {
        using var scope = NewDisposeScope();
        using var norm = nn.BatchNorm2d(6);
        norm.eval();
        var input = randn(2, 6, 5, 5).ToChannelsLast();
        Assert.True(allclose(BatchNormLayout.Normalize(norm, input), norm.call(input), rtol: 0, atol: 0));
    }

    private static (Tensor Output, Tensor InputGradient, TorchSharp.Modules.BatchNorm2d Norm) Run(Tensor input, Tensor gradient,
        Func<TorchSharp.Modules.BatchNorm2d, Tensor, Tensor> normalize)
    {
        manual_seed(6);
        var norm = nn.BatchNorm2d(input.shape[1]);
        using (no_grad())
        {
            norm.weight!.uniform_(0.5, 1.5);
            norm.bias!.uniform_(-0.5, 0.5);
        }
        norm.train();
        var x = input.detach().clone().requires_grad_(true);
        var output = normalize(norm, x);
        output.backward([gradient]);
        return (output.detach(), x.grad!, norm);
    }
}
