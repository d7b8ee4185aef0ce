using Dsl.Runtime.Compute;

namespace Dsl.Runtime.Training;

/// <summary>
/// How a model is trained by default: a spec's <c>training:</c> section over the original script's ImageNet
/// recipe (SGD Nesterov, batch 256, lr 0.1, momentum 0.9, weight decay 1e-4, cosine per epoch, 110 epochs).
/// Command-line flags override each value.
/// </summary>
public sealed record TrainingRecipe
{
    public int Epochs { get; init; } = 110;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;
    /// <summary>The linear warm-up of <see cref="ScheduleKind.WarmupCosine"/>, in epochs (fractions allowed).</summary>
    public double WarmupEpochs { get; init; } = 1;
    /// <summary>The weight of the uniform distribution mixed into the one-hot targets of the loss (0: none).</summary>
    public double LabelSmoothing { get; init; }
    public Augmentation Augmentation { get; init; } = Augmentation.Standard;
    /// <summary>Zero padding on each side before the random crop of <see cref="Augmentation.CropFlip"/>.</summary>
    public int CropPadding { get; init; } = 4;
    /// <summary>Evaluation: <see cref="Augmentation.None"/>, or <see cref="Augmentation.Flip"/> to average the logits of each
    /// image and its mirror image.</summary>
    public Augmentation TestAugmentation { get; init; } = Augmentation.None;
    public Precision Precision { get; init; } = Precision.Float32;
    public MemoryFormat MemoryFormat { get; init; } = MemoryFormat.Nchw;
    /// <summary>The last this many training images validate instead of the test or val set, and are not trained on (0: none).</summary>
    public int Holdout { get; init; }
    /// <summary>The decay of an exponential moving average of the weights, evaluated each epoch beside them (0: none;
    /// see <see cref="WeightAverage"/>).</summary>
    public double Ema { get; init; }

    /// <summary>The original script's ImageNet recipe.</summary>
    public static TrainingRecipe Default { get; } = new();

    public LearningRateSchedule CreateSchedule() => Schedule switch
    {
        ScheduleKind.Step => new StepSchedule(LearningRate),
        ScheduleKind.WarmupCosine => new WarmupCosineSchedule(LearningRate, Epochs, WarmupEpochs),
        _ => new CosineSchedule(LearningRate, Epochs),
    };
}

/// <summary>The learning-rate schedules: <see cref="CosineSchedule"/> and <see cref="StepSchedule"/> per epoch, as the
/// original script; <see cref="WarmupCosineSchedule"/> per step.</summary>
public enum ScheduleKind
{
    Cosine,
    Step,
    WarmupCosine,
}

/// <summary>Training-time augmentation, as a spec's <c>training: augmentation:</c> names it.</summary>
public enum Augmentation
{
    /// <summary>Normalization only.</summary>
    None,

    /// <summary>Random horizontal flips.</summary>
    Flip,

    /// <summary>A random crop of the zero-padded image (<see cref="TrainingRecipe.CropPadding"/>), then flips.</summary>
    CropFlip,

    /// <summary>The ImageNet recipe: RandomResizedCrop, ColorJitter(0.4, 0.4, 0.4), flips.</summary>
    Standard,

    /// <summary><see cref="Standard"/> after RandomRotation(10), as the original trained its SE models.</summary>
    Strong,
}
