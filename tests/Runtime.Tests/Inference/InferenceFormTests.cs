using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Tests.Inference;

/// <summary>
/// The generated inference forms compute what the models compute in eval mode: to float32 rounding in float32,
/// and with the same top-1 class in bfloat16.
/// </summary>
public sealed class InferenceFormTests(ITestOutputHelper output)
{
    private const double Float32Tolerance = 1e-4;

    /// <summary>Every block kind: bL stems and modules, SA blocks with nearest and bilinear upsampling, grouped and SE bottlenecks.</summary>
    public static TheoryData<string, int, MemoryFormat> Float32Cases() => new()
    {
        { "bLResNet-Small", 28, MemoryFormat.Nchw },
        { "bLResNet-Small", 28, MemoryFormat.Nhwc },
        { "ScaleNet-Small", 28, MemoryFormat.Nchw },
        { "ScaleNet-Small", 28, MemoryFormat.Nhwc },
        { "bLResNet-50-tiny", 64, MemoryFormat.Nhwc },
        { "ResNeXt-50-32x4d", 64, MemoryFormat.Nhwc },
        { "SE-ResNeXt-50-32x4d", 64, MemoryFormat.Nchw },
        { "bLSEResNeXt-50-32x4d", 64, MemoryFormat.Nhwc },
        { "ScaleNet-50", 224, MemoryFormat.Nhwc },
    };

    [Theory]
    [MemberData(nameof(Float32Cases))]
    public void Float32FormEqualsTheEvalModel(string name, int size, MemoryFormat format)
    {
        using var scope = NewDisposeScope();
        var info = BuiltInModels.Catalog.Get(name);
        using var model = info.Create();
        TrainedState.Apply(model, seed: 1);
        model.eval();
        var images = TrainedState.Images(4, info.InputChannels, size, size, seed: 2);
        var expected = model.call(images);

        using var form = ((IHasInferenceForm)model).ForInference(Precision.Float32, format);
        var actual = form.call(images);

        Assert.Equal(ScalarType.Float32, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.False(expected.isnan().any().ToBoolean(), "the reference logits hold NaN");
        var error = Agreement.RelativeError(actual, expected);
        output.WriteLine($"{name} {size}x{size} {format}: relative error {error:E2}");
        Assert.True(error <= Float32Tolerance, $"{name}: relative error {error:E2} above {Float32Tolerance:E0}");
    }

    [Theory]
    [InlineData("bLResNet-Small", 28)]
    [InlineData("ScaleNet-Small", 28)]
    [InlineData("bLResNet-50-tiny", 64)]
    public void BFloat16FormKeepsTheTopClass(string name, int size)
    {
        using var scope = NewDisposeScope();
        var info = BuiltInModels.Catalog.Get(name);
        random.manual_seed(3);
        using var model = info.Create();
        TrainedState.Apply(model, seed: 3);
        model.eval();
        var images = TrainedState.Images(256, info.InputChannels, size, size, seed: 4);
        var expected = model.call(images);

        using var form = ((IHasInferenceForm)model).ForInference(Precision.BFloat16, MemoryFormat.Nhwc);
        var actual = form.call(images);

        Assert.Equal(ScalarType.Float32, actual.dtype);
        var error = Agreement.RelativeError(actual, expected);
        Assert.True(error <= BFloat16Tolerance, $"{name}: relative error {error:E2} above {BFloat16Tolerance:E0}");
        // Rows the float32 model decides by more than twice the largest bf16 error seen here must keep their class.
        var margin = 2 * BFloat16Tolerance * expected.abs().max().ToDouble();
        var (rows, top1) = Agreement.DecisiveTop1(actual, expected, margin);
        output.WriteLine($"{name} bf16: relative error {error:E2}, top-1 agreement {Agreement.Top1(actual, expected):P2} of all rows, " +
                         $"{top1:P2} of {rows} decisive rows");
        Assert.True(rows >= images.shape[0] / 4, $"{name}: only {rows} rows are decisive; the check would be vacuous");
        Assert.True(top1 >= 0.995, $"{name}: top-1 agrees on {top1:P2} of the decisive rows");
    }

    /// <summary>bfloat16 keeps 8 bits of mantissa (relative rounding 2^-9); through these networks the logits moved at most 2.1e-2 of their largest value.</summary>
    private const double BFloat16Tolerance = 3e-2;

    [Fact]
    public void BFloat16FormKeepsAGreyImagesFirstConvolutionInFloat32()
    {
        using var scope = NewDisposeScope();
        using var model = BuiltInModels.Catalog.Get("bLResNet-Small").Create();
        model.eval();
        using var form = ((IHasInferenceForm)model).ForInference(Precision.BFloat16, MemoryFormat.Nhwc);
        var convolutions = form.state_dict().Where(p => p.Value.dim() == 4).ToList();

        Assert.Equal(ScalarType.Float32, convolutions.Single(p => p.Key == "conv1.weight").Value.dtype);
        Assert.All(convolutions.Where(p => p.Key != "conv1.weight"), p => Assert.Equal(ScalarType.BFloat16, p.Value.dtype));
        var images = TrainedState.Images(2, 1, 28, 28, seed: 9);
        Assert.Equal(ScalarType.Float32, form.call(images).dtype);
    }

    [Fact]
    public void FormIsASnapshotOfTheRunningStatistics()
    {
        using var scope = NewDisposeScope();
        var info = BuiltInModels.Catalog.Get("ScaleNet-Small");
        using var model = info.Create();
        TrainedState.Apply(model, seed: 5);
        model.eval();
        var images = TrainedState.Images(4, info.InputChannels, 28, 28, seed: 6);
        var generated = (IHasInferenceForm)model;
        using var before = generated.ForInference(Precision.Float32, MemoryFormat.Nchw);

        // A training step's worth of change to the statistics: the model moves, the form built before does not.
        TrainedState.Apply(model, seed: 7);
        var expected = model.call(images);
        using var after = generated.ForInference(Precision.Float32, MemoryFormat.Nchw);

        Assert.True(Agreement.RelativeError(after.call(images), expected) <= Float32Tolerance);
        Assert.True(Agreement.RelativeError(before.call(images), expected) > 1e-2, "the form built before follows later changes");
    }

    [Fact]
    public void ForwardLeavesNoTensorsBehind()
    {
        using var model = BuiltInModels.Catalog.Get("bLResNet-Small").Create();
        model.eval();
        using var form = ((IHasInferenceForm)model).ForInference(Precision.BFloat16, MemoryFormat.Nhwc);
        using var images = TrainedState.Images(2, 1, 28, 28, seed: 8);
        form.call(images).Dispose();

        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++) form.call(images).Dispose();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
