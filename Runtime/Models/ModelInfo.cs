using Dsl.Runtime.Training;

namespace Dsl.Runtime.Models;

/// <summary>
/// A generated model: its canonical name, family and block, the input it was declared for, its figures at
/// that input (trainable parameters; multiply-adds of convolutions and linear layers) and a factory.
/// </summary>
public sealed record ModelInfo(
    string Name,
    string Family,
    string Block,
    int InputChannels,
    int InputHeight,
    int InputWidth,
    int Classes,
    long ParameterCount,
    long MultiplyAdds,
    IReadOnlyList<LayerSummary> Layers,
    Func<nn.Module<Tensor, Tensor>> Create)
{
    /// <summary>The spec's training recipe (its <c>training:</c> section over the ImageNet defaults).</summary>
    public TrainingRecipe Training { get; init; } = TrainingRecipe.Default;
}
