using Dsl.Runtime.Compute;
using Dsl.Runtime.Distributed;

namespace Dsl.Runtime.Training;

/// <summary>
/// What the training loop runs: SGD with Nesterov momentum, a per-epoch schedule, where to write logs and checkpoints.
/// Its defaults are <see cref="TrainingRecipe.Default"/>'s, the original script's ImageNet recipe.
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = TrainingRecipe.Default.Epochs;
    public double LearningRate { get; init; } = TrainingRecipe.Default.LearningRate;
    public double Momentum { get; init; } = TrainingRecipe.Default.Momentum;
    public double WeightDecay { get; init; } = TrainingRecipe.Default.WeightDecay;
    public bool Nesterov { get; init; } = true;
    /// <summary>The learning rate of each step; null is a per-epoch cosine from <see cref="LearningRate"/> over <see cref="Epochs"/>.</summary>
    public LearningRateSchedule? Schedule { get; init; }
    /// <summary>Label smoothing of the training loss (<see cref="TrainingRecipe.LabelSmoothing"/>).</summary>
    public double LabelSmoothing { get; init; } = TrainingRecipe.Default.LabelSmoothing;
    /// <summary>How validation sees each image (<see cref="TrainingRecipe.TestAugmentation"/>).</summary>
    public Augmentation TestAugmentation { get; init; } = TrainingRecipe.Default.TestAugmentation;
    public Device Device { get; init; } = CPU;
    /// <summary>The arithmetic precision of training.</summary>
    public Precision Precision { get; init; } = TrainingRecipe.Default.Precision;
    /// <summary>The memory layout of weights and activations (NHWC runs oneDNN's channels-last kernels; Auto measures).</summary>
    public MemoryFormat MemoryFormat { get; init; } = TrainingRecipe.Default.MemoryFormat;
    /// <summary>Folder for log.log, metrics.csv, event files and checkpoints; null writes nothing.</summary>
    public string? LogFolder { get; init; }
    /// <summary>The ranks of a data-parallel job; null (or a single rank) trains alone.</summary>
    public DistributedEnvironment? Distributed { get; init; }
    /// <summary>Batch-norm statistics over every rank's batch instead of per rank (data-parallel only).</summary>
    public bool SyncBatchNorm { get; init; }
    /// <summary>The name stored in checkpoints and checked on resume.</summary>
    public string Architecture { get; init; } = "model";

    public LearningRateSchedule EffectiveSchedule => Schedule ?? new CosineSchedule(LearningRate, Epochs);

    /// <summary>SGD over all of <paramref name="model"/>'s parameters in one group, as the original script (weight decay
    /// on every parameter, batch norm included), updating through libtorch's fused kernel.</summary>
    public TorchSharp.Modules.SGD CreateOptimizer(nn.Module model) =>
        new FusedSgd(model.parameters(), LearningRate, Momentum, dampening: 0, WeightDecay, Nesterov);
}
