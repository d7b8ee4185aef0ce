using System.Diagnostics;
using System.Globalization;
using Dsl.Runtime.Logging;
using Dsl.Runtime.Training;

namespace Dsl.Trainer.Progress;

/// <summary>Progress as plain lines, for logs and pipes: a few step lines per epoch and the original's epoch lines.</summary>
public sealed class PlainProgress(TextWriter output) : ITrainingObserver
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int reportEvery = 1;
    private TimeSpan lastReport;

    public void EpochStarted(int epoch, int epochs, int steps, double learningRate)
    {
        reportEvery = Math.Max(1, steps / 5);
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "Epoch {0}/{1}: {2} steps, learning rate {3:G4}", epoch + 1, epochs, steps, learningRate));
    }

    public void StepCompleted(StepProgress p)
    {
        // A few lines per epoch, and at least one every 30 seconds on slow runs.
        if (p.Step % reportEvery != 0 && p.Step != p.Steps && clock.Elapsed - lastReport < TimeSpan.FromSeconds(30)) return;
        lastReport = clock.Elapsed;
        output.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "  [{0}/{1}] step {2}/{3}\tloss {4:F4}\ttop-1 {5:F2}%\t{6:F0} images/s\telapsed {7:hh\\:mm\\:ss}",
            p.Epoch + 1, p.Epochs, p.Step, p.Steps, p.Loss, p.Top1, p.ImagesPerSecond, clock.Elapsed));
    }

    public void EpochCompleted(EpochReport r)
    {
        foreach (var line in LogLines.EpochEnd(r)) output.WriteLine(line);
        output.Flush();
    }

    public void Warning(string message) => output.WriteLine("warning: " + message);

    public void Note(string message) => output.WriteLine(message);
}
