namespace Dsl.Runtime.Training;

/// <summary>
/// The learning rate in closed form, read at the start of every step from the fraction of training done.
/// TorchSharp's schedulers step a live optimizer from its history; a closed form resumes at any epoch.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <param name="epochs">Epochs done when the step starts: 2.5 is halfway through the third epoch.</param>
    public abstract double At(double epochs);

    /// <summary>The name stored in checkpoints.</summary>
    public abstract string Name { get; }
}

/// <summary>CosineAnnealingLR stepped per epoch, as the original script: etaMin + (base - etaMin)(1 + cos(π e / T)) / 2.</summary>
public sealed record CosineSchedule(double BaseLearningRate, int TotalEpochs, double MinLearningRate = 0) : LearningRateSchedule
{
    public override double At(double epochs) =>
        MinLearningRate + (BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * Math.Floor(epochs) / TotalEpochs)) / 2;

    public override string Name => "cosine";
}

/// <summary>StepLR: base · gamma^⌊e / step⌋.</summary>
public sealed record StepSchedule(double BaseLearningRate, int StepEpochs = 30, double Gamma = 0.1) : LearningRateSchedule
{
    public override double At(double epochs) => BaseLearningRate * Math.Pow(Gamma, (int)Math.Floor(epochs) / StepEpochs);

    public override string Name => "step";
}

/// <summary>
/// Set every step: a linear warm-up from a tenth of the base rate over <paramref name="WarmupEpochs"/>, then a cosine
/// to zero at the last step. Short runs need both: a large rate at once makes the first batches' batch-norm statistics
/// swing, and a per-epoch cosine ends its last epoch well above zero.
/// </summary>
public sealed record WarmupCosineSchedule(double BaseLearningRate, int TotalEpochs, double WarmupEpochs) : LearningRateSchedule
{
    public override double At(double epochs)
    {
        if (epochs < WarmupEpochs) return BaseLearningRate * (0.1 + 0.9 * epochs / WarmupEpochs);
        var progress = Math.Min(1, (epochs - WarmupEpochs) / Math.Max(1e-9, TotalEpochs - WarmupEpochs));
        return BaseLearningRate * (1 + Math.Cos(Math.PI * progress)) / 2;
    }

    public override string Name => "warmup-cosine";
}
