using Dsl.Runtime;
using Dsl.Runtime.Blocks;

namespace Dsl.Runtime.Tests.Blocks;

public sealed class ScaleBlockLayoutTests
{
    [Fact]
    public void TrainingChannelsLastEqualsTrainingNchwWithThinBranchesNormalizedNchw()
    {
        var info = BuiltInModels.Catalog.Get("ScaleNet-Small");
        manual_seed(8);
        using var nchw = info.Create();
        using var nhwc = info.Create();
        nhwc.load_state_dict(nchw.state_dict());
        nhwc.ToChannelsLast();
        // ScaleNet-Small has branches on both sides of the threshold: both ways of normalizing are compared.
        var widths = nhwc.modules().OfType<ScaleBlock>().SelectMany(b => b.Branches).Where(b => b.Channels > 0).Select(b => b.Channels).ToList();
        Assert.Contains(widths, c => c < ScaleBlock.ThinBranch);
        Assert.Contains(widths, c => c >= ScaleBlock.ThinBranch);
        nchw.train();
        nhwc.train();
        using var images = randn(8, info.InputChannels, info.InputHeight, info.InputWidth);
        using var imagesLast = images.ToChannelsLast();

        using var expected = nchw.call(images);
        using var actual = nhwc.call(imagesLast);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"largest difference {(actual - expected).abs().max().item<float>()}");
        // Not the plain sum: through the last batch norm its gradient is zero up to rounding.
        using var direction = randn_like(expected);
        (expected * direction).sum().backward();
        (actual * direction).sum().backward();
        var expectedGrads = nchw.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, parameter) in nhwc.named_parameters())
        {
            // Summation order differs between the layouts: compare against the gradient's own scale.
            var scale = expectedGrads[name].abs().max().item<float>();
            var difference = (parameter.grad! - expectedGrads[name]).abs().max().item<float>();
            Assert.True(difference <= 1e-4 * scale + 1e-6, $"gradient of {name}: largest difference {difference} of {scale}");
        }
        var expectedBuffers = nchw.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, buffer) in nhwc.named_buffers())
            Assert.True(buffer.to(float64).allclose(expectedBuffers[name].to(float64), rtol: 1e-4, atol: 1e-6), $"buffer {name}");
    }
}
