using Dsl.Runtime.Training;

namespace Dsl.Runtime.Logging;

/// <summary>
/// The files of a run's log folder: log.log (the original's text lines, after a header), metrics.csv and a
/// TensorBoard event file with the original scalar names (including its 'learnnig-rate' spelling); a run that averages its
/// weights adds an EMA line after each validation line and the ema-val-loss and ema-val-top1 scalars.
/// </summary>
public sealed class TrainingLogWriter : ITrainingObserver, IDisposable
{
    public const string TextLogName = "log.log";
    public const string MetricsName = "metrics.csv";

    private readonly StreamWriter text;
    private readonly MetricsCsv metrics;
    private readonly TensorBoardWriter events;

    /// <param name="append">Continue existing files (resume) instead of starting new ones.</param>
    /// <param name="header">Lines written first, e.g. the arguments and the model.</param>
    public TrainingLogWriter(string folder, bool append, IEnumerable<string> header)
    {
        Directory.CreateDirectory(folder);
        Folder = folder;
        text = new StreamWriter(Path.Combine(folder, TextLogName), append) { AutoFlush = true, NewLine = "\n" };
        foreach (var line in header) text.WriteLine(line);
        var csvPath = Path.Combine(folder, MetricsName);
        if (!append && File.Exists(csvPath)) File.Delete(csvPath);
        metrics = new MetricsCsv(csvPath);
        events = new TensorBoardWriter(folder);
    }

    public string Folder { get; }
    public string EventFile => events.Path;

    public void EpochCompleted(EpochReport r)
    {
        text.WriteLine(LogLines.Train(r.Epoch, r.Epochs, r.Train));
        if (r.Validation is not null) text.WriteLine(LogLines.Validation(r.Epoch, r.Epochs, r.Validation));
        if (r.EmaValidation is not null) text.WriteLine(LogLines.AveragedValidation(r.Epoch, r.Epochs, r.EmaValidation));
        metrics.Append(r);
        // The original logs with step = epoch + 1.
        var step = r.Epoch + 1;
        events.Scalar("learnnig-rate", r.LearningRate, step);
        events.Scalar("train-loss", r.Train.Loss, step);
        events.Scalar("train-top1", r.Train.Top1, step);
        if (r.Validation is not null)
        {
            events.Scalar("val-loss", r.Validation.Loss, step);
            events.Scalar("val-top1", r.Validation.Top1, step);
        }
        if (r.EmaValidation is not null)
        {
            events.Scalar("ema-val-loss", r.EmaValidation.Loss, step);
            events.Scalar("ema-val-top1", r.EmaValidation.Top1, step);
        }
        events.Scalar("best-val-top1", r.BestTop1, step);
    }

    public void Warning(string message) => text.WriteLine("Warning: " + message);

    public void Note(string message) => text.WriteLine(message);

    public void Dispose()
    {
        text.Dispose();
        events.Dispose();
    }
}
