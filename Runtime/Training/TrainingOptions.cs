using Dsl.Runtime.Compute;
using Dsl.Runtime.Distributed;

namespace Dsl.Runtime.Training;

/// <summary>
/// What the training loop runs: SGD with Nesterov momentum, a per-epoch schedule, where to write logs and checkpoints.
/// The hyperparameters are <see cref="Recipe"/>'s (by default <see cref="TrainingRecipe.Default"/>, the original
/// script's ImageNet recipe); each of its members here reads and sets the recipe's.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The recipe the loop trains with; its batch size and augmentation belong to the data, which the loop is given.</summary>
    public TrainingRecipe Recipe { get; init; } = TrainingRecipe.Default;
    public int Epochs { get => Recipe.Epochs; init => Recipe = Recipe with { Epochs = value }; }
    public double LearningRate { get => Recipe.LearningRate; init => Recipe = Recipe with { LearningRate = value }; }
    public double Momentum { get => Recipe.Momentum; init => Recipe = Recipe with { Momentum = value }; }
    public double WeightDecay { get => Recipe.WeightDecay; init => Recipe = Recipe with { WeightDecay = value }; }
    public bool Nesterov { get; init; } = true;
    /// <summary>The learning rate of each step; null is <see cref="Recipe"/>'s schedule (<see cref="TrainingRecipe.CreateSchedule"/>).</summary>
    public LearningRateSchedule? Schedule { get; init; }
    /// <summary>Label smoothing of the training loss (<see cref="TrainingRecipe.LabelSmoothing"/>).</summary>
    public double LabelSmoothing { get => Recipe.LabelSmoothing; init => Recipe = Recipe with { LabelSmoothing = value }; }
    /// <summary>The decay of the weights' moving average (<see cref="TrainingRecipe.Ema"/>; 0 keeps none).</summary>
    public double Ema { get => Recipe.Ema; init => Recipe = Recipe with { Ema = value }; }
    /// <summary>How validation sees each image (<see cref="TrainingRecipe.TestAugmentation"/>).</summary>
    public Augmentation TestAugmentation { get => Recipe.TestAugmentation; init => Recipe = Recipe with { TestAugmentation = value }; }
    public Device Device { get; init; } = CPU;
    /// <summary>The arithmetic precision of training.</summary>
    public Precision Precision { get => Recipe.Precision; init => Recipe = Recipe with { Precision = value }; }
    /// <summary>The memory layout of weights and activations (NHWC runs oneDNN's channels-last kernels; Auto measures).</summary>
    public MemoryFormat MemoryFormat { get => Recipe.MemoryFormat; init => Recipe = Recipe with { MemoryFormat = value }; }
    /// <summary>Folder for log.log, metrics.csv, event files and checkpoints; null writes nothing.</summary>
    public string? LogFolder { get; init; }
    /// <summary>The ranks of a data-parallel job; null (or a single rank) trains alone.</summary>
    public DistributedEnvironment? Distributed { get; init; }
    /// <summary>Batch-norm statistics over every rank's batch instead of per rank (data-parallel only).</summary>
    public bool SyncBatchNorm { get; init; }
    /// <summary>The name stored in checkpoints and checked on resume.</summary>
    public string Architecture { get; init; } = "model";

    public LearningRateSchedule EffectiveSchedule => Schedule ?? Recipe.CreateSchedule();

    /// <summary>SGD over all of <paramref name="model"/>'s parameters in one group, as the original script (weight decay
    /// on every parameter, batch norm included), updating through libtorch's fused kernel.</summary>
    public TorchSharp.Modules.SGD CreateOptimizer(nn.Module model) =>
        new FusedSgd(model.parameters(), LearningRate, Momentum, dampening: 0, WeightDecay, Nesterov);
}
