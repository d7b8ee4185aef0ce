using Dsl.Runtime.Models;

namespace Dsl.Trainer.Tests.Cli;

/// <summary>Tiny models for command-line tests, with the short recipe the small specs carry.</summary>
internal static class TestModels
{
    private static readonly TrainingRecipe Short = new()
    {
        Epochs = 6, LearningRate = 0.2, WeightDecay = 5e-4, Augmentation = Augmentation.Flip, MemoryFormat = MemoryFormat.Nhwc,
    };

    public static IReadOnlyList<ModelInfo> All { get; } =
    [
        new("Tiny-Fashion", "Tiny", "basic", 1, 28, 28, 10, 1234, 5678,
            [new LayerSummary("conv1", "Conv2d", [8, 28, 28], 72, 56448), new LayerSummary("fc", "Linear", [10], 170, 160)],
            () => new TinyNet(1, 10)) { Training = Short },
        new("Tiny-Rgb", "TinySE", "se-basic", 3, 16, 16, 2, 100, 200, [], () => new TinyNet(3, 2))
        { Training = Short with { Augmentation = Augmentation.Strong } },
    ];
}
