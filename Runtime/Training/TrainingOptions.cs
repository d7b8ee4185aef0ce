using Dsl.Runtime.Distributed;

namespace Dsl.Runtime.Training;

/// <summary>The recipe: SGD with Nesterov momentum, a per-epoch schedule, where to write logs and checkpoints.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 110;
    public double LearningRate { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    public bool Nesterov { get; init; } = true;
    /// <summary>The per-epoch learning rate; null is a cosine from <see cref="LearningRate"/> over <see cref="Epochs"/>.</summary>
    public LearningRateSchedule? Schedule { get; init; }
    public Device Device { get; init; } = CPU;
    /// <summary>The arithmetic precision of training.</summary>
    public PrecisionMode Precision { get; init; } = PrecisionMode.Float32;
    /// <summary>The memory layout of weights and activations (NHWC runs oneDNN's channels-last kernels; Auto measures).</summary>
    public MemoryFormatMode MemoryFormat { get; init; } = MemoryFormatMode.Nchw;
    /// <summary>Folder for log.log, metrics.csv, event files and checkpoints; null writes nothing.</summary>
    public string? LogFolder { get; init; }
    /// <summary>The ranks of a data-parallel job; null (or a single rank) trains alone.</summary>
    public DistributedEnvironment? Distributed { get; init; }
    /// <summary>Batch-norm statistics over every rank's batch instead of per rank (data-parallel only).</summary>
    public bool SyncBatchNorm { get; init; }
    /// <summary>The name stored in checkpoints and checked on resume.</summary>
    public string Architecture { get; init; } = "model";

    public LearningRateSchedule EffectiveSchedule => Schedule ?? new CosineSchedule(LearningRate, Epochs);
}
