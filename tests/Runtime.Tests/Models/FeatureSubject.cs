using Dsl.Definitions;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Models;
using Dsl.Runtime.Tests.Inference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsl.Runtime.Tests.Models;

/// <summary>
/// A generated model seen through what the feature-map tests need of it, read from its typed members where it is
/// built (its stages, its head, its Features and its inference form's), so one test body serves every family.
/// </summary>
internal sealed record FeatureSubject(
    ModelInfo Info,
    nn.Module<Tensor, Tensor> Model,
    IReadOnlyList<nn.Module<Tensor, Tensor>> Stages,
    Linear Fc,
    Func<Tensor, IReadOnlyList<Tensor>> Features,
    Func<Precision, MemoryFormat, InferenceFeatures> ForInference,
    IReadOnlyList<int> FeatureStages,
    IReadOnlyList<int> FeatureChannels,
    IReadOnlyList<int> FeatureStrides) : IDisposable
{
    /// <summary>Big-Little Net, ScaleNet and the torchvision baseline.</summary>
    public static readonly IReadOnlyList<string> Names = ["bLResNet-Small", "ScaleNet-Small", "ResNet-50"];

    public static FeatureSubject Create(string name) => name switch
    {
        "bLResNet-Small" => Of(new BLResNetSmall(), m => [m.Layer1, m.Layer2, m.Layer3, m.Layer4], m => m.Fc, BLResNetSmall.Info,
            (m, x) => m.Features(x).Maps, (m, p, f) => Form(m.ForInference(p, f), (form, x) => form.Features(x).Maps),
            BLResNetSmall.FeatureStages, BLResNetSmall.FeatureChannels, BLResNetSmall.FeatureStrides),
        "ScaleNet-Small" => Of(new ScaleNetSmall(), m => [m.Layer1, m.Layer2, m.Layer3, m.Layer4], m => m.Fc, ScaleNetSmall.Info,
            (m, x) => m.Features(x).Maps, (m, p, f) => Form(m.ForInference(p, f), (form, x) => form.Features(x).Maps),
            ScaleNetSmall.FeatureStages, ScaleNetSmall.FeatureChannels, ScaleNetSmall.FeatureStrides),
        "ResNet-50" => Of(new ResNet50(), m => [m.Layer1, m.Layer2, m.Layer3, m.Layer4], m => m.Fc, ResNet50.Info,
            (m, x) => m.Features(x).Maps, (m, p, f) => Form(m.ForInference(p, f), (form, x) => form.Features(x).Maps),
            ResNet50.FeatureStages, ResNet50.FeatureChannels, ResNet50.FeatureStrides),
        _ => throw new ArgumentException("no feature subject named " + name, nameof(name)),
    };

    private static FeatureSubject Of<TModel>(TModel model, Func<TModel, nn.Module<Tensor, Tensor>[]> stages, Func<TModel, Linear> fc,
        ModelInfo info, Func<TModel, Tensor, IReadOnlyList<Tensor>> features, Func<TModel, Precision, MemoryFormat, InferenceFeatures> inference,
        IReadOnlyList<int> stageNumbers, IReadOnlyList<int> channels, IReadOnlyList<int> strides)
        where TModel : nn.Module<Tensor, Tensor> =>
        new(info, model, stages(model), fc(model), x => features(model, x), (p, f) => inference(model, p, f), stageNumbers, channels, strides);

    private static InferenceFeatures Form<TForm>(TForm form, Func<TForm, Tensor, IReadOnlyList<Tensor>> features)
        where TForm : nn.Module<Tensor, Tensor> =>
        new(form, x => features(form, x));

    /// <summary>The model with the look of a trained one (<see cref="TrainedState"/>), in training or eval mode.</summary>
    public static FeatureSubject Trained(string name, long seed, bool training)
    {
        var subject = Create(name);
        TrainedState.Apply(subject.Model, seed);
        subject.Model.train(training);
        return subject;
    }

    /// <summary>Square images at the declared input of the two small models, at 64x64 for ResNet-50 (a small input).</summary>
    public Tensor Images(long batch, long seed)
    {
        var side = Math.Min(Info.InputHeight, 64);
        return TrainedState.Images(batch, Info.InputChannels, side, side, seed);
    }

    /// <summary>The classifier on a last stage's output, as forward applies it.</summary>
    public Tensor Head(Tensor lastStage)
    {
        using var scope = NewDisposeScope();
        return Fc.call(nn.functional.adaptive_avg_pool2d(lastStage, 1).flatten(1)).MoveToOuterDisposeScope();
    }

    public void Dispose() => Model.Dispose();
}

/// <summary>An inference form and its Features.</summary>
internal sealed record InferenceFeatures(nn.Module<Tensor, Tensor> Form, Func<Tensor, IReadOnlyList<Tensor>> Features) : IDisposable
{
    public void Dispose() => Form.Dispose();
}
