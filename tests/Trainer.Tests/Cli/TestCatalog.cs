using Dsl.Trainer.Models;

namespace Dsl.Trainer.Tests.Cli;

/// <summary>A catalog of tiny models for command-line tests.</summary>
internal sealed class TestCatalog : IModelCatalog
{
    public IReadOnlyList<ModelEntry> All { get; } =
    [
        new("Tiny-Fashion", "Tiny", "basic", 1, 28, 28, 10, 1234, 5678,
            [new LayerRow("conv1", "Conv2d", [8, 28, 28], 72, 56448), new LayerRow("fc", "Linear", [10], 170, 160)],
            () => new TinyNet(1, 10)),
        new("Tiny-Rgb", "TinySE", "se-basic", 3, 16, 16, 2, 100, 200, [], () => new TinyNet(3, 2)),
    ];
}
