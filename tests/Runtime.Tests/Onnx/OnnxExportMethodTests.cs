using Dsl.Definitions;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Onnx;
using Dsl.Runtime.Tests.Inference;
using Xunit;
using static TorchSharp.torch;

namespace Dsl.Runtime.Tests.Onnx;

/// <summary><c>model.ExportOnnx(path)</c>, the export as a method of every generated model.</summary>
public sealed class OnnxExportMethodTests
{
    [Fact]
    public void AGeneratedModelExportsItselfAndOnnxRuntimeComputesItsEvalLogits()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        using var model = new BLResNetSmall();
        TrainedState.Apply(model, seed: 7);
        model.eval();
        var path = folder.Combine("model.onnx");

        var result = model.ExportOnnx(path, new OnnxExportOptions(Height: 32, Width: 32));

        Assert.Equal((BLResNetSmall.CanonicalName, OnnxOpset.Default, 1L, 32L, 32L, 10L), (result.Model, result.Opset, result.Channels, result.Height, result.Width, result.Classes));
        Assert.Equal(new FileInfo(path).Length, result.Bytes);
        using var noGrad = no_grad();
        var images = TrainedState.Images(3, 1, 32, 32, seed: 8);
        var error = Agreement.RelativeError(OnnxRuntimeRunner.Logits(path, images), model.call(images));
        Assert.True(error <= 1e-4, $"relative error {error:E2}");
    }

    [Fact]
    public void TheMethodIsReachedThroughTheInterfaceOfACatalogModel()
    {
        using var folder = new TempFolder();
        using var model = BuiltInModels.Catalog.Get("ScaleNet-Small").Create();
        var owner = Assert.IsAssignableFrom<IHasInferenceForm>(model);
        var path = folder.Combine("small.onnx");

        var result = owner.ExportOnnx(path);

        Assert.Equal(("ScaleNet-Small", 1L, 28L, 28L, 10L), (result.Model, result.Channels, result.Height, result.Width, result.Classes));
        Assert.True(File.Exists(path));
    }
}
