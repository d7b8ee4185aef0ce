using Dsl.Trainer.Specs;

namespace Dsl.Trainer.Tests.Specs;

public sealed class SpecCompilerTests
{
    [Fact]
    public void ASpecCompiledAtRunTimeIsTheNetworkTheBuildGenerates()
    {
        using var temp = new TempFolder();
        var path = SpecFiles.CopyRenamed(temp, "bLResNet-Small.model.yaml", "bLResNet-Small", "Copy-Small", "copy.model.yaml");
        var compiled = SpecCompiler.Compile(path);
        var builtIn = BuiltInModels.Catalog.Get("bLResNet-Small");

        Assert.Equal("Copy-Small", compiled.Name);
        Assert.Equal(builtIn.ParameterCount, compiled.ParameterCount);
        Assert.Equal(builtIn.MultiplyAdds, compiled.MultiplyAdds);
        Assert.Equal(builtIn.Layers.Select(l => (l.Name, l.Kind, string.Join("x", l.OutputShape), l.Parameters, l.MultiplyAdds)),
            compiled.Layers.Select(l => (l.Name, l.Kind, string.Join("x", l.OutputShape), l.Parameters, l.MultiplyAdds)));
        Assert.Equal(builtIn.Training, compiled.Training);

        manual_seed(11);
        using var expected = builtIn.Create();
        manual_seed(11);
        using var actual = compiled.Create();
        Assert.NotEqual(expected.GetType().Assembly, actual.GetType().Assembly);
        Assert.Equal(compiled.ParameterCount, actual.parameters().Sum(p => p.numel()));
        expected.eval();
        actual.eval();
        using var scope = NewDisposeScope();
        var images = randn(2, 1, 28, 28, generator: new torch.Generator(5));
        using var _ = no_grad();
        Assert.Equal(0f, (expected.call(images) - actual.call(images)).abs().max().item<float>());
    }

    [Fact]
    public void TheTrainingSectionBecomesTheModelsRecipe()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("recipe.model.yaml");
        File.WriteAllText(path, """
            name: Recipe-Net
            family: resnet
            depth: 50
            classes: 10
            input: [3, 64, 64]
            training:
              epochs: 12
              batch_size: 96
              learning_rate: 0.05
              momentum: 0.8
              weight_decay: 2e-5
              schedule: step
              augmentation: crop-flip
              crop_padding: 6
              precision: bf16
              memory_format: auto
              holdout: 5000
              ema: 0.9998
            """);
        var expected = new TrainingRecipe
        {
            Epochs = 12, BatchSize = 96, LearningRate = 0.05, Momentum = 0.8, WeightDecay = 2e-5, Schedule = ScheduleKind.Step,
            Augmentation = Augmentation.CropFlip, CropPadding = 6, Precision = Precision.BFloat16, MemoryFormat = MemoryFormat.Auto,
            Holdout = 5000, Ema = 0.9998,
        };
        Assert.Equal(expected, SpecCompiler.Compile(path).Training);
    }

    [Fact]
    public void WithoutATrainingSectionTheImageNetRecipeApplies()
    {
        Assert.Equal(TrainingRecipe.Default, BuiltInModels.Catalog.Get("bLResNet-50").Training);
        Assert.Equal(new TrainingRecipe { Augmentation = Augmentation.Strong }, BuiltInModels.Catalog.Get("bLSEResNeXt-50-32x4d").Training);
        Assert.Equal(110, TrainingRecipe.Default.Epochs);
        Assert.Equal((256, 0.1, 0.9, 1e-4), (TrainingRecipe.Default.BatchSize, TrainingRecipe.Default.LearningRate,
            TrainingRecipe.Default.Momentum, TrainingRecipe.Default.WeightDecay));
        Assert.Equal((ScheduleKind.Cosine, Augmentation.Standard, Precision.Float32, MemoryFormat.Nchw),
            (TrainingRecipe.Default.Schedule, TrainingRecipe.Default.Augmentation, TrainingRecipe.Default.Precision, TrainingRecipe.Default.MemoryFormat));
    }

    [Fact]
    public void DataFilesBesideTheSpecAreFound()
    {
        using var temp = new TempFolder();
        var path = SpecFiles.CopyRenamed(temp, "ScaleNet-50.model.yaml", "ScaleNet-50", "Copy-50", "copy.model.yaml");
        File.Copy(Path.Combine(SpecFiles.Structures(), "scalenet50.json"), temp.Combine("scalenet50.json"));
        Assert.Equal(BuiltInModels.Catalog.Get("ScaleNet-50").ParameterCount, SpecCompiler.Compile(path).ParameterCount);
    }

    [Fact]
    public void ErrorsAreReportedAtTheirLineInTheCompilersFormat()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("bad.model.yaml");
        File.WriteAllText(path, "name: Bad\nfamily: resnet\ndepth: 50\ntraining:\n  epochs: 0\n  schedul: step\n");
        var error = Assert.Throws<SpecCompilationException>(() => SpecCompiler.Compile(path));
        Assert.Equal(
        [
            path + "(5,11): error DSL0005: 'training.epochs' is 0, but it must be between 1 and 100000",
            path + "(6,3): error DSL0002: Unknown key 'schedul' in 'training'; did you mean 'schedule'?",
        ], error.Diagnostics);
    }
}
