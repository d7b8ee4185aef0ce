namespace Dsl.Runtime.Optim;

/// <summary>A learning rate as a function of the epoch (stepped once per epoch, as the original script does).</summary>
public abstract record LearningRateSchedule
{
    public abstract double At(int epoch);
}

/// <summary>CosineAnnealingLR: etaMin + (base - etaMin)(1 + cos(π e / T)) / 2.</summary>
public sealed record CosineSchedule(double BaseLearningRate, int TotalEpochs, double MinLearningRate = 0) : LearningRateSchedule
{
    public override double At(int epoch) =>
        MinLearningRate + (BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * epoch / TotalEpochs)) / 2;
}

/// <summary>StepLR: base · gamma^⌊e / step⌋.</summary>
public sealed record StepSchedule(double BaseLearningRate, int StepEpochs = 30, double Gamma = 0.1) : LearningRateSchedule
{
    public override double At(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch / StepEpochs);
}

/// <summary>Linear warm-up over the first epochs, then the inner schedule.</summary>
public sealed record WarmupSchedule(LearningRateSchedule Inner, int WarmupEpochs) : LearningRateSchedule
{
    public override double At(int epoch) =>
        epoch < WarmupEpochs ? Inner.At(WarmupEpochs) * (epoch + 1) / (WarmupEpochs + 1) : Inner.At(epoch);
}
