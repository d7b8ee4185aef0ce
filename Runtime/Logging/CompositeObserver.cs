using Dsl.Runtime.Training;

namespace Dsl.Runtime.Logging;

/// <summary>Forwards every training event to several observers in order.</summary>
public sealed class CompositeObserver(params ITrainingObserver[] observers) : ITrainingObserver
{
    public void EpochStarted(int epoch, int epochs, int steps, double learningRate)
    {
        foreach (var o in observers) o.EpochStarted(epoch, epochs, steps, learningRate);
    }

    public void StepCompleted(StepProgress progress)
    {
        foreach (var o in observers) o.StepCompleted(progress);
    }

    public void EpochCompleted(EpochReport report)
    {
        foreach (var o in observers) o.EpochCompleted(report);
    }

    public void Warning(string message)
    {
        foreach (var o in observers) o.Warning(message);
    }

    public void Note(string message)
    {
        foreach (var o in observers) o.Note(message);
    }
}
