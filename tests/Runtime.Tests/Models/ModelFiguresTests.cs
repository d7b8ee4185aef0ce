using Dsl.Runtime.Models;

namespace Dsl.Runtime.Tests.Models;

/// <summary>The figures the generator computes from the specs equal the ones measured on the original code.</summary>
public sealed class ModelFiguresTests
{
    /// <summary>Parameters and GMACs at 224x224 (architectures.md, tables 1.8 and 2.5; GMACs given to 4 decimals).</summary>
    public static TheoryData<string, long, double> SeedModels() => new()
    {
        { "bLResNet-50", 26_694_568, 2.8561 },
        { "bLResNet-101", 41_851_560, 3.8933 },
        { "bLResNet-152", 57_359_016, 5.0397 },
        { "bLResNeXt-50-32x4d", 26_192_168, 3.0271 },
        { "bLResNeXt-101-32x4d", 41_512_744, 4.0791 },
        { "bLResNeXt-101-64x4d", 77_355_816, 7.1423 },
        { "bLSEResNeXt-50-32x4d", 28_767_120, 3.0296 },
        { "bLSEResNeXt-101-32x4d", 45_881_952, 4.0835 },
        { "ScaleNet-50-light", 23_631_912, 2.8615 },
        { "ScaleNet-50", 31_483_618, 3.8184 },
        { "ScaleNet-101", 54_792_390, 7.5111 },
        { "ScaleNet-152", 77_220_070, 11.2120 },
    };

    [Theory]
    [MemberData(nameof(SeedModels))]
    public void CatalogFiguresMatchTheOriginals(string name, long parameters, double gigaMultiplyAdds)
    {
        var info = BuiltInModels.Catalog.Get(name);
        Assert.Equal(parameters, info.ParameterCount);
        Assert.Equal(gigaMultiplyAdds, Math.Round(info.MultiplyAdds / 1e9, 4));
        Assert.Equal([1L, 1000L], info.Layers[^1].OutputShape);
    }

    public static TheoryData<string> ReferenceFiles() => StateDictKeyTests.ReferenceFiles();

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void CatalogFiguresMatchTheReferenceFilesExactly(string fileName)
    {
        var reference = ReferenceData.Load(fileName);
        var info = BuiltInModels.Catalog.Get(reference.Model);
        Assert.Equal(reference.Parameters, info.ParameterCount);
        Assert.Equal(reference.MultiplyAdds224, info.MultiplyAdds);
    }

    [Theory]
    [InlineData("ResNet-50", 25_557_032)]
    [InlineData("ResNeXt-50-32x4d", 25_028_904)]
    [InlineData("bLResNet-50-tiny", 395_266)]
    public void BaselineAndFixtureParameterCounts(string name, long parameters) =>
        Assert.Equal(parameters, BuiltInModels.Catalog.Get(name).ParameterCount);

    [Theory]
    [InlineData("bLResNet-50")]
    [InlineData("bLSEResNeXt-50-32x4d")]
    [InlineData("ScaleNet-50")]
    [InlineData("ResNet-50")]
    [InlineData("bLResNet-Small")]
    public void BuiltModelHasTheCatalogParameterCount(string name)
    {
        var info = BuiltInModels.Catalog.Get(name);
        using var model = info.Create();
        Assert.Equal(info.ParameterCount, ParameterCount(model));
    }

    [Theory]
    [InlineData("bLResNet-Small")]
    [InlineData("ScaleNet-Small")]
    [InlineData("bLResNet-50-tiny")]
    public void ForwardGivesTheDeclaredOutputShape(string name)
    {
        var info = BuiltInModels.Catalog.Get(name);
        using var model = info.Create();
        model.eval();
        using var scope = NewDisposeScope();
        var output = model.call(randn(2, info.InputChannels, info.InputHeight, info.InputWidth));
        Assert.Equal([2L, info.Classes], output.shape);
        Assert.Equal([1L, info.Classes], info.Layers[^1].OutputShape);
    }

    [Fact]
    public void GeneratedChildrenAreTypedAndInitializedAsTheOriginals()
    {
        using var model = new BLResNet50Tiny();
        using var scope = NewDisposeScope();
        Assert.Equal([8L, 8, 3, 3], model.Layer1.Big[0].Conv2.weight!.shape);
        Assert.False(model.Layer1.Big[^1].LastRelu);
        Assert.True(model.Layer1.Little[0].LastRelu);
        Assert.Equal(3, model.Layer4.Count);
        Assert.Equal(BLResNet50Tiny.TrainableParameters, ParameterCount(model));
        Assert.Equal("bLResNet-50-tiny", BLResNet50Tiny.CanonicalName);

        // Big-Little Net zeroes every bottleneck's last gamma, but not the little_e or shortcut batch norms.
        Assert.All(model.Layer4[2].Bn3.weight!.data<float>().ToArray(), g => Assert.Equal(0f, g));
        Assert.All(model.Layer1.LittleE.Norm.weight!.data<float>().ToArray(), g => Assert.Equal(1f, g));
        // kaiming normal, fan_out: std = sqrt(2 / (k*k*out)).
        var weight = model.Layer4[0].Conv2.weight!;
        var std = weight.norm().item<float>() / Math.Sqrt(weight.numel());
        Assert.InRange(std, 0.9 * Math.Sqrt(2.0 / (9 * 64)), 1.1 * Math.Sqrt(2.0 / (9 * 64)));
    }

    [Fact]
    public void ScaleNetKeepsItsLastBatchNormGamma()
    {
        using var model = new ScaleNetSmall();
        using var scope = NewDisposeScope();
        Assert.All(model.Layer1[0].Bn3.weight!.data<float>().ToArray(), g => Assert.Equal(1f, g));
        Assert.Null(model.Layer4[0].Conv2[2]);
        Assert.Equal(3, model.Layer4[0].Conv2[1]!.weight!.shape[3]);
        Assert.Equal(3, model.Layer3[0].Conv2[1]!.weight!.shape[3]);
        Assert.Equal(1, model.Layer3[0].Conv2[3]!.weight!.shape[3]);
    }

    [Theory]
    [InlineData("bLResNet-Small")]
    [InlineData("ScaleNet-Small")]
    public void ATrainingStepReachesEveryParameter(string name)
    {
        var info = BuiltInModels.Catalog.Get(name);
        using var model = info.Create();
        model.train();
        using (var scope = NewDisposeScope())
        {
            var logits = model.call(randn(4, info.InputChannels, info.InputHeight, info.InputWidth));
            var target = tensor(new long[] { 0, 1, 2, 3 });
            nn.functional.cross_entropy(logits, target).backward();
        }
        // Zero-initialized bn3 gammas stop the gradient into their branch's earlier layers for one step in
        // Big-Little Net, so check what always receives a gradient: the stem, every bn3 and the classifier.
        foreach (var (key, parameter) in model.named_parameters())
        {
            if (!(key.StartsWith("conv1") || key.EndsWith("bn3.weight") || key.StartsWith("fc"))) continue;
            var grad = parameter.grad;
            Assert.True(grad is not null, key + " has no gradient");
            Assert.True(grad.abs().sum().item<float>() > 0, key + " has an all-zero gradient");
        }
    }

    [Fact]
    public void LayerRowsAddUpToTheTotals()
    {
        foreach (var info in BuiltInModels.Catalog.All)
        {
            Assert.True(info.ParameterCount == info.Layers.Sum(l => l.Parameters), info.Name + " parameters");
            Assert.True(info.MultiplyAdds == info.Layers.Sum(l => l.MultiplyAdds), info.Name + " multiply-adds");
        }
    }

    [Fact]
    public void CatalogLooksUpNamesIgnoringCaseAndSuggestsNearNames()
    {
        Assert.Same(BuiltInModels.Catalog.Get("bLResNet-50"), BuiltInModels.Catalog.Find("BLRESNET-50"));
        Assert.Null(BuiltInModels.Catalog.Find("bLResNet-51"));
        var error = Assert.Throws<KeyNotFoundException>(() => BuiltInModels.Catalog.Get("bLResNet-51"));
        Assert.Contains("bLResNet-50", error.Message);
        Assert.Equal(BuiltInModels.Catalog.All.Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count(), BuiltInModels.Catalog.All.Count);
    }

    private static long ParameterCount(nn.Module model) => model.parameters().Sum(p => p.numel());
}
