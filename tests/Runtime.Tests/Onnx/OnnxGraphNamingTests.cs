using Dsl.Runtime.Inference;
using Dsl.Runtime.Onnx;

namespace Dsl.Runtime.Tests.Onnx;

/// <summary>The exported graph reads as the spec does: convolutions named by their state-dict paths, a dynamic batch, and opsets out of range refused.</summary>
public sealed class OnnxGraphNamingTests
{
    [Theory]
    [InlineData("bLResNet-Small")]
    [InlineData("ScaleNet-Small")]
    public void EveryConvolutionIsNamedByItsStateDictPath(string name)
    {
        using var model = BuiltInModels.Catalog.Get(name).Create();
        using var form = ((IHasInferenceForm)model).ForInference(Precision.Float32, MemoryFormat.Nchw);
        var keys = form.state_dict().Keys.ToHashSet();
        var (proto, result) = OnnxExport.Build(model);

        var convolutions = proto.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal(keys.Count(k => k.EndsWith(".weight", StringComparison.Ordinal) && k != "fc.weight"), convolutions.Count);
        Assert.All(convolutions, n => Assert.Contains(n.Name + ".weight", keys));
        Assert.All(convolutions, n => Assert.Equal(n.Name + ".weight", n.Input[1]));
        Assert.Equal(proto.Graph.Node.Count, result.Nodes);
    }

    [Fact]
    public void TheBatchIsDynamicAndTheRestFixed()
    {
        using var model = BuiltInModels.Catalog.Get("ScaleNet-Small").Create();
        var (proto, _) = OnnxExport.Build(model, new OnnxExportOptions(Height: 32, Width: 40));

        var input = Assert.Single(proto.Graph.Input);
        Assert.Equal(OnnxExport.InputName, input.Name);
        Assert.Equal(["batch", "1", "32", "40"], input.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString()));
        var output = Assert.Single(proto.Graph.Output);
        Assert.Equal(OnnxExport.OutputName, output.Name);
        Assert.Equal(["batch", "10"], output.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString()));
        Assert.Equal(OnnxOpset.Default, Assert.Single(proto.OpsetImport).Version);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(18)]
    public void AnOpsetOutOfRangeIsRefusedNamingTheRange(int opset)
    {
        using var model = BuiltInModels.Catalog.Get("bLResNet-Small").Create();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExport.Build(model, new OnnxExportOptions(Opset: opset)));
        Assert.Contains($"opset {opset}", e.Message);
        Assert.Contains($"{OnnxOpset.Oldest} to {OnnxOpset.Newest}", e.Message);
    }

    [Fact]
    public void AnInputTooSmallForALayerNamesTheLayer()
    {
        using var model = BuiltInModels.Catalog.Get("ScaleNet-Small").Create();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExport.Build(model, new OnnxExportOptions(Height: 2, Width: 2)));
        Assert.Matches(@"^layer\d", e.Message);
    }

    [Fact]
    public void AModuleThatIsNoGeneratedModelIsRefusedByName()
    {
        using var module = TorchSharp.torch.nn.Sequential(("conv", TorchSharp.torch.nn.Conv2d(1, 4, 3)));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExport.Build(module));
        Assert.Equal("Sequential is not a generated model (its assembly has no generated models); only generated models are exported", e.Message);
    }
}
