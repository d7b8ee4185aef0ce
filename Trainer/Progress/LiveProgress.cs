using System.Diagnostics;
using System.Globalization;
using Dsl.Runtime.Logging;
using Dsl.Runtime.Training;
using Spectre.Console;

namespace Dsl.Trainer.Progress;

/// <summary>A live Spectre.Console display on a terminal: one bar per epoch with loss, accuracy, speed and the run's ETA.</summary>
public sealed class LiveProgress(IAnsiConsole console, ProgressContext context) : ITrainingObserver
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private ProgressTask? task;
    private int startEpoch = -1;
    private long stepsDone;

    /// <summary>Runs <paramref name="body"/> while the display is live.</summary>
    public static T Run<T>(IAnsiConsole console, Func<ITrainingObserver, T> body) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 }, new PercentageColumn(),
                new SpinnerColumn())
            .Start(context => body(new LiveProgress(console, context)));

    public void EpochStarted(int epoch, int epochs, int steps, double learningRate)
    {
        if (startEpoch < 0) startEpoch = epoch;
        task = context.AddTask(Markup.Escape($"Epoch {epoch + 1}/{epochs}"), maxValue: steps);
    }

    public void StepCompleted(StepProgress p)
    {
        if (task is null) return;
        stepsDone++;
        var totalSteps = (long)(p.Epochs - startEpoch) * p.Steps;
        var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / stepsDone * Math.Max(0, totalSteps - stepsDone));
        task.Description = Markup.Escape(string.Format(CultureInfo.InvariantCulture,
            "Epoch {0}/{1} {2}/{3} loss {4:F3} acc {5:F1}% {6:F0} img/s ETA {7:hh\\:mm\\:ss}",
            p.Epoch + 1, p.Epochs, p.Step, p.Steps, p.Loss, p.Top1, p.ImagesPerSecond, eta));
        task.Value = p.Step;
    }

    public void EpochCompleted(EpochReport r)
    {
        task?.StopTask();
        foreach (var line in LogLines.EpochEnd(r)) console.WriteLine(line);
    }

    public void Warning(string message) => console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");

    public void Note(string message) => console.WriteLine(message);
}
