namespace Dsl.Runtime.Training;

/// <summary>Progress of one training step.</summary>
public sealed record StepProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double Top1, double ImagesPerSecond);

/// <summary>What one epoch produced: <paramref name="Validation"/> is the live weights' evaluation, <paramref name="EmaValidation"/>
/// the averaged weights' (null when the run keeps no average).</summary>
public sealed record EpochReport(int Epoch, int Epochs, double LearningRate, EpochMetrics Train, EpochMetrics? Validation,
    double BestTop1, bool IsBest, EpochMetrics? EmaValidation = null);

/// <summary>Receives progress (console, log files); all calls come from the training thread.</summary>
public interface ITrainingObserver
{
    void EpochStarted(int epoch, int epochs, int steps, double learningRate) { }
    void StepCompleted(StepProgress progress) { }
    void EpochCompleted(EpochReport report) { }
    void Warning(string message) { }
    /// <summary>A decision the loop took for the run (precision, memory layout) and why.</summary>
    void Note(string message) { }
}
