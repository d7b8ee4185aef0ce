namespace Dsl.Runtime.Training;

/// <summary>
/// The learning rate of an epoch, in closed form, set once per epoch as the original script steps its scheduler.
/// TorchSharp's schedulers step a live optimizer from its history; a closed form resumes at any epoch.
/// </summary>
public abstract record LearningRateSchedule
{
    public abstract double At(int epoch);

    /// <summary>The name stored in checkpoints.</summary>
    public abstract string Name { get; }
}

/// <summary>CosineAnnealingLR: etaMin + (base - etaMin)(1 + cos(π e / T)) / 2.</summary>
public sealed record CosineSchedule(double BaseLearningRate, int TotalEpochs, double MinLearningRate = 0) : LearningRateSchedule
{
    public override double At(int epoch) =>
        MinLearningRate + (BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * epoch / TotalEpochs)) / 2;

    public override string Name => "cosine";
}

/// <summary>StepLR: base · gamma^⌊e / step⌋.</summary>
public sealed record StepSchedule(double BaseLearningRate, int StepEpochs = 30, double Gamma = 0.1) : LearningRateSchedule
{
    public override double At(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch / StepEpochs);

    public override string Name => "step";
}
