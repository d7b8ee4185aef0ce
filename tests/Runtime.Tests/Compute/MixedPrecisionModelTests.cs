using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Compute;

/// <summary>
/// Under <see cref="Autocast.BFloat16"/> every convolution of a generated model (stems, bottlenecks, shortcuts, bL
/// modules, SA branches, squeeze-excitation) and its classifier compute in bfloat16, and every batch norm is handed
/// bfloat16 (a grey image's first convolution computes in float32 and hands on bfloat16).
/// </summary>
public sealed class MixedPrecisionModelTests
{
    [Theory]
    [InlineData("bLResNet-Small", 28)]
    [InlineData("ScaleNet-Small", 28)]
    [InlineData("bLSEResNeXt-50-32x4d", 32)]
    public void EveryBatchNormSeesBFloat16AndWeightsStayFloat32(string name, int size)
    {
        manual_seed(7);
        using var model = BuiltInModels.Catalog.Get(name).Create();
        model.train();
        var inputs = new Dictionary<string, ScalarType>();
        var hooks = new List<Action>();
        foreach (var (path, layer) in model.named_modules())
            if (layer is BatchNorm2d norm)
                hooks.Add(norm.register_forward_pre_hook((_, x) => { inputs[path] = x.dtype; return null!; }).remove);
        var batchNorms = model.modules().OfType<BatchNorm2d>().Count();
        using var images = randn(2, model.named_parameters().First().parameter.shape[1], size, size);
        using (var scope = NewDisposeScope())
        {
            Tensor logits;
            using (Autocast.BFloat16()) logits = model.call(images);
            Assert.Equal(ScalarType.BFloat16, logits.dtype);
            logits.to(ScalarType.Float32).logsumexp(1).mean().backward();
        }
        foreach (var remove in hooks) remove();

        Assert.Equal(batchNorms, inputs.Count);
        Assert.All(inputs, i => Assert.True(i.Value == ScalarType.BFloat16, $"{i.Key} got {i.Value}"));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.buffers(), b => Assert.NotEqual(ScalarType.BFloat16, b.dtype));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
    }

    [Fact]
    public void BFloat16LogitsStayCloseToFloat32Logits()
    {
        manual_seed(8);
        using var model = new BLResNetSmall();
        model.eval();
        using var images = randn(8, 1, 28, 28);
        using var scope = NewDisposeScope();
        var float32 = model.call(images);
        Tensor mixed;
        using (Autocast.BFloat16()) mixed = model.call(images).to(ScalarType.Float32);
        var error = (mixed - float32).abs().max().item<float>() / float32.abs().max().item<float>();
        // bfloat16 rounds to about 3 significant digits per layer; float32 would agree to 1e-6.
        Assert.InRange(error, 1e-5, 5e-2);
    }
}
