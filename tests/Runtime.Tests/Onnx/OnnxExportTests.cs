using Dsl.Runtime.Tests.Inference;
using Dsl.Runtime.Onnx;

namespace Dsl.Runtime.Tests.Onnx;

/// <summary>
/// Every family exported to ONNX computes in ONNX Runtime what the model computes in eval mode, at batch 1 and
/// batch 4 (the batch is dynamic), with trained-looking batch-norm statistics so that a wrong folding would show.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    /// <summary>bL stems and modules, SA blocks (nearest and bilinear upsampling, zero-width branches), grouped and SE bottlenecks, torchvision layout.</summary>
    public static TheoryData<string, int> Families() => new()
    {
        { "bLResNet-Small", 28 },
        { "ScaleNet-Small", 28 },
        { "bLResNet-50-tiny", 64 },
        { "ResNet-50", 64 },
        { "ResNeXt-50-32x4d", 64 },
        { "SE-ResNeXt-50-32x4d", 64 },
        { "bLSEResNeXt-50-32x4d", 64 },
        { "ScaleNet-50", 224 },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void OnnxRuntimeLogitsEqualTheEvalModel(string name, int size) => AssertOnnxRuntimeAgrees(name, size, opset: null);

    /// <summary>The oldest opset written: Resize and Slice in their opset-13 forms, both upsampling kinds.</summary>
    [Theory]
    [InlineData("bLResNet-Small", 28)]
    [InlineData("ScaleNet-Small", 28)]
    public void TheOldestOpsetComputesTheSame(string name, int size) => AssertOnnxRuntimeAgrees(name, size, OnnxOpset.Oldest);

    private void AssertOnnxRuntimeAgrees(string name, int size, int? opset)
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var info = BuiltInModels.Catalog.Get(name);
        using var model = info.Create();
        TrainedState.Apply(model, seed: 1);
        model.eval();
        var path = folder.Combine(name + ".onnx");
        var result = OnnxExport.Save(model, path, new OnnxExportOptions(opset, size, size));
        Assert.Equal(opset ?? OnnxOpset.Default, result.Opset);
        output.WriteLine($"{name} {size}x{size}: opset {result.Opset}, {result.Nodes} nodes, {result.Initializers} initializers, {result.Bytes:N0} bytes");

        foreach (var batch in new[] { 1L, 4L })
        {
            var images = TrainedState.Images(batch, info.InputChannels, size, size, seed: 2 + batch);
            var expected = model.call(images);
            var actual = OnnxRuntimeRunner.Logits(path, images);
            Assert.Equal(expected.shape, actual.shape);
            var error = Agreement.RelativeError(actual, expected);
            output.WriteLine($"  batch {batch}: relative error {error:E2}");
            Assert.True(error <= Tolerance, $"{name} batch {batch}: relative error {error:E2} above {Tolerance:E0}");
        }
    }

    [OnnxCheckerTheory]
    [MemberData(nameof(Families))]
    public void TheOnnxCheckerAcceptsTheFile(string name, int size)
    {
        using var folder = new TempFolder();
        using var model = BuiltInModels.Catalog.Get(name).Create();
        var path = folder.Combine(name + ".onnx");
        OnnxExport.Save(model, path, new OnnxExportOptions(Height: size, Width: size));
        Assert.Null(OnnxChecker.Complaint(path));
    }
}
