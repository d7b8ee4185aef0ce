using Dsl.Runtime.Onnx;
using Dsl.Runtime.Tests.Inference;
using Dsl.Runtime.Tests.Models;

namespace Dsl.Runtime.Tests.Onnx;

/// <summary>
/// Feature maps exported as extra graph outputs: ONNX Runtime's stage{k} equals the eval-mode model's Features map
/// Stage{k} for Big-Little Net, ScaleNet and the torchvision baseline, and logits stay the first output.
/// </summary>
public sealed class OnnxFeatureExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Subjects() => [.. FeatureSubject.Names];

    [Theory]
    [MemberData(nameof(Subjects))]
    public void EachExportedMapIsTheModelsFeatureMap(string name)
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        using var subject = FeatureSubject.Trained(name, seed: 21, training: false);
        var images = subject.Images(2, seed: 22);
        var side = images.shape[2];
        int[] stages = [4, 2, 3];
        var path = folder.Combine(name + ".onnx");
        OnnxExport.Save(subject.Model, path, new OnnxExportOptions(Height: (int)side, Width: (int)side, Features: stages));

        using var noGrad = no_grad();
        var maps = subject.Features(images);
        var outputs = OnnxRuntimeRunner.Outputs(path, images);
        Assert.Equal(["logits", "stage2", "stage3", "stage4"], outputs.Keys);
        Assert.True(Agreement.RelativeError(outputs["logits"], subject.Model.call(images)) <= Tolerance, $"{name}: logits");
        foreach (var stage in stages)
        {
            var expected = maps[stage - 1];
            var actual = outputs[OnnxExport.FeatureOutputName(stage)];
            Assert.Equal(expected.shape, actual.shape);
            var error = Agreement.RelativeError(actual, expected);
            output.WriteLine($"{name} stage{stage} {string.Join('x', actual.shape)}: relative error {error:E2}");
            Assert.True(error <= Tolerance, $"{name} stage{stage}: relative error {error:E2} above {Tolerance:E0}");
        }
    }

    [Fact]
    public void AStageTheModelLacksIsAnErrorNamingIt()
    {
        using var model = BuiltInModels.Catalog.Get("bLResNet-Small").Create();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExport.Build(model, new OnnxExportOptions(Features: [5])));
        Assert.Contains("bLResNet-Small: there is no stage 5", e.Message);
    }
}
