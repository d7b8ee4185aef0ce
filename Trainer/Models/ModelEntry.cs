using Dsl.Runtime;

namespace Dsl.Trainer.Models;

/// <summary>One row of a model's layer table.</summary>
public sealed record LayerRow(string Name, string Kind, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds);

/// <summary>What the command line needs to know about a model it can build.</summary>
public sealed record ModelEntry(string Name, string Family, string Block, int InputChannels, int InputHeight, int InputWidth, int Classes,
    long ParameterCount, long MultiplyAdds, IReadOnlyList<LayerRow> Layers, Func<nn.Module<Tensor, Tensor>> Create)
{
    /// <summary>Models of at most 64 pixels get the small-input recipe.</summary>
    public bool IsSmallInput => Math.Max(InputHeight, InputWidth) <= 64;

    /// <summary>Squeeze-and-excitation models train with the original's stronger augmentation (random rotation).</summary>
    public bool UsesStrongAugmentation => Block.Contains("se", StringComparison.OrdinalIgnoreCase) || Name.Contains("SE", StringComparison.Ordinal);
}

/// <summary>The models the command line can build, by canonical name.</summary>
public interface IModelCatalog
{
    IReadOnlyList<ModelEntry> All { get; }
}
