using Dsl.Definitions;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Tests.Inference;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Dsl.Runtime.Tests.Models;

/// <summary>
/// A generated model's Features returns the tensors its stages compute inside forward, shaped as its constants say at
/// any input size, and its inference form returns the same maps to rounding, in float32 NCHW.
/// </summary>
public sealed class FeatureMapsTests(ITestOutputHelper output)
{
    public static TheoryData<string> Subjects() => [.. FeatureSubject.Names];

    [Theory]
    [MemberData(nameof(Subjects))]
    public void EachMapIsItsStagesOutputInsideForward(string name)
    {
        using var scope = NewDisposeScope();
        using var subject = FeatureSubject.Trained(name, seed: 11, training: false);
        using var noGrad = no_grad();
        var images = subject.Images(3, seed: 12);

        Tensor logits = null!;
        using var recorder = StageRecorder.During(subject.Stages, () => logits = subject.Model.call(images));
        var inForward = recorder.Outputs;
        var maps = subject.Features(images);

        Assert.Equal(4, maps.Count);
        for (var i = 0; i < maps.Count; i++)
            Assert.True(Identical(maps[i], inForward[i]), $"{name}: Stage{i + 1} differs from layer{i + 1}'s output in forward");
        // forward is the head on the last map, nothing between.
        Assert.True(Identical(subject.Head(maps[^1]), logits), $"{name}: forward is not the head on Stage4");
    }

    [Theory]
    [MemberData(nameof(Subjects))]
    public void InTrainingTheMapsCarryTheGraphAndTheBatchStatistics(string name)
    {
        using var scope = NewDisposeScope();
        using var subject = FeatureSubject.Trained(name, seed: 13, training: true);
        var images = subject.Images(4, seed: 14);

        using var recorder = StageRecorder.During(subject.Stages, () => subject.Model.call(images).Dispose());
        var inForward = recorder.Outputs;
        var maps = subject.Features(images);

        for (var i = 0; i < maps.Count; i++)
        {
            Assert.True(maps[i].requires_grad, $"{name}: Stage{i + 1} is cut from the graph");
            Assert.True(Identical(maps[i].detach(), inForward[i]), $"{name}: Stage{i + 1} differs from layer{i + 1}'s output in forward");
        }
        // A loss on an early map reaches the stem and leaves the later stages untouched.
        subject.Model.zero_grad();
        maps[1].square().mean().backward();
        var conv1 = subject.Model.named_parameters().Single(p => p.name == "conv1.weight").parameter;
        var fc = subject.Fc.weight!;
        Assert.True(conv1.grad is { } g && g.abs().sum().ToDouble() > 0, $"{name}: no gradient reached conv1");
        Assert.True(fc.grad is null || fc.grad.abs().sum().ToDouble() == 0, $"{name}: a loss on Stage2 moved fc");
    }

    /// <summary>The same shape and every element equal: the same computation, not an approximation of it.</summary>
    private static bool Identical(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        return actual.shape.SequenceEqual(expected.shape) && actual.eq(expected).all().ToBoolean();
    }

    /// <summary>The declared input, and one whose sides the strides do not divide (so rounding shows).</summary>
    public static TheoryData<string, int> SubjectsAndSizes() => new()
    {
        { "bLResNet-Small", 28 },
        { "bLResNet-Small", 37 },
        { "ScaleNet-Small", 28 },
        { "ScaleNet-Small", 45 },
        { "ResNet-50", 64 },
        { "ResNet-50", 99 },
    };

    [Theory]
    [MemberData(nameof(SubjectsAndSizes))]
    public void ShapesFollowTheConstants(string name, int size)
    {
        using var scope = NewDisposeScope();
        using var subject = FeatureSubject.Create(name);
        subject.Model.eval();
        using var noGrad = no_grad();
        var images = TrainedState.Images(2, subject.Info.InputChannels, size, size + 3, seed: 15);
        var maps = subject.Features(images);

        Assert.Equal([1, 2, 3, 4], subject.FeatureStages);
        Assert.Equal(subject.FeatureStages.Count, maps.Count);
        for (var i = 0; i < maps.Count; i++)
        {
            var (channels, stride) = (subject.FeatureChannels[i], subject.FeatureStrides[i]);
            var shape = maps[i].shape;
            output.WriteLine($"{name} at {size}x{size + 3}: Stage{subject.FeatureStages[i]} {string.Join("x", shape)}, stride {stride}");
            Assert.Equal(4, shape.Length);
            Assert.Equal(new[] { 2L, channels }, shape[..2]);
            // Each stride-s layer rounds up (padded convolutions and pools) or down (ScaleNet's 2x2 pools) once.
            Assert.InRange(shape[2], size / stride, (size + stride - 1) / stride);
            Assert.InRange(shape[3], (size + 3) / stride, (size + 3 + stride - 1) / stride);
        }
        if (size == subject.Info.InputHeight) AssertDeclaredShapes(subject);
    }

    /// <summary>At the declared input the maps are the shapes the layer table gives each stage's last block.</summary>
    private static void AssertDeclaredShapes(FeatureSubject subject)
    {
        using var scope = NewDisposeScope();
        var info = subject.Info;
        var maps = subject.Features(TrainedState.Images(1, info.InputChannels, info.InputHeight, info.InputWidth, seed: 16));
        for (var i = 0; i < maps.Count; i++)
        {
            var layer = "layer" + subject.FeatureStages[i] + ".";
            Assert.Equal(info.Layers.Last(l => l.Name.StartsWith(layer, StringComparison.Ordinal)).OutputShape, maps[i].shape);
        }
    }

    [Fact]
    public void PerStageConstantsAreTheListsEntries()
    {
        Assert.Equal(BLResNetSmall.FeatureChannels,
            [BLResNetSmall.Stage1Channels, BLResNetSmall.Stage2Channels, BLResNetSmall.Stage3Channels, BLResNetSmall.Stage4Channels]);
        Assert.Equal(BLResNetSmall.FeatureStrides,
            [BLResNetSmall.Stage1Stride, BLResNetSmall.Stage2Stride, BLResNetSmall.Stage3Stride, BLResNetSmall.Stage4Stride]);
        Assert.Equal([256, 512, 1024, 2048], BLResNet50.FeatureChannels);
        Assert.Equal([8, 16, 16, 32], BLResNet50.FeatureStrides);
        Assert.Equal([4, 8, 16, 32], ScaleNet50.FeatureStrides);
        Assert.Equal(2048, ResNet50.Stage4Channels);
        Assert.Equal(32, ResNet50.Stage4Stride);
    }

    private const double Float32Tolerance = 1e-4;

    /// <summary>bfloat16 keeps 8 bits of mantissa; through these stages a map moved at most 1.5e-2 of its largest value.</summary>
    private const double BFloat16Tolerance = 3e-2;

    public static TheoryData<string, Precision, MemoryFormat> SubjectsAndLayouts()
    {
        var data = new TheoryData<string, Precision, MemoryFormat>();
        foreach (var name in FeatureSubject.Names)
        {
            data.Add(name, Precision.Float32, MemoryFormat.Nchw);
            data.Add(name, Precision.Float32, MemoryFormat.Nhwc);
            data.Add(name, Precision.BFloat16, MemoryFormat.Nhwc);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SubjectsAndLayouts))]
    public void TheInferenceFormsMapsAreTheModelsInFloat32Nchw(string name, Precision precision, MemoryFormat format)
    {
        using var scope = NewDisposeScope();
        using var subject = FeatureSubject.Trained(name, seed: 17, training: false);
        var images = subject.Images(4, seed: 18);
        IReadOnlyList<Tensor> expected;
        using (no_grad()) expected = subject.Features(images);

        using var form = subject.ForInference(precision, format);
        var actual = form.Features(images);

        var tolerance = precision == Precision.Float32 ? Float32Tolerance : BFloat16Tolerance;
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.Equal(ScalarType.Float32, actual[i].dtype);
            Assert.True(actual[i].is_contiguous(), $"{name} {precision} {format}: Stage{i + 1} is not NCHW-contiguous");
            Assert.Equal(expected[i].shape, actual[i].shape);
            var error = Agreement.RelativeError(actual[i], expected[i]);
            output.WriteLine($"{name} {precision} {format}: Stage{i + 1} relative error {error:E2}");
            Assert.True(error <= tolerance, $"{name} {precision} {format}: Stage{i + 1} relative error {error:E2} above {tolerance:E0}");
        }
    }

    [Fact]
    public void TheMapsAreTheCallersUntilDisposed()
    {
        using var model = new BLResNetSmall();
        model.eval();
        using var noGrad = no_grad();
        using var images = TrainedState.Images(2, 1, 28, 28, seed: 19);
        model.Features(images).Dispose();
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var maps = model.Features(images);
        // Only the four maps outlive the call; the trunk's other tensors are freed inside it.
        Assert.Equal(live + 4, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Collection(maps.Maps, m => Assert.Same(maps.Stage1, m), m => Assert.Same(maps.Stage2, m),
            m => Assert.Same(maps.Stage3, m), m => Assert.Same(maps.Stage4, m));
        maps.Dispose();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.All(maps.Maps, m => Assert.True(m.IsInvalid));

        // Made inside a scope, they are that scope's.
        BLResNetSmall.FeatureMaps inScope;
        using (NewDisposeScope()) inScope = model.Features(images);
        Assert.All(inScope.Maps, m => Assert.True(m.IsInvalid));
        inScope.Dispose();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void TheInferenceFormsMapsAreTheCallersUntilDisposed()
    {
        using var model = new ScaleNetSmall();
        model.eval();
        using var form = model.ForInference(Precision.BFloat16, MemoryFormat.Nhwc);
        using var images = TrainedState.Images(2, 1, 28, 28, seed: 20);
        form.Features(images).Dispose();
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        using (var maps = form.Features(images))
            Assert.Equal(live + 4, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
