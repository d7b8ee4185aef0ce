using Dsl.Runtime.Training;

namespace Dsl.Runtime.Logging;

/// <summary>
/// curves.png in a run's log folder (<see cref="CurvesPng"/>), redrawn after every epoch from the figures of every epoch
/// so far. A picture that cannot be drawn is told once through <c>warn</c> and never stops the training.
/// </summary>
public sealed class TrainingCurves : ITrainingObserver
{
    public const string FileName = "curves.png";

    private readonly List<EpochFigures> series = [];
    private readonly Action<string> warn;
    private bool failed;

    /// <param name="resume">Start from the epochs the folder's metrics.csv holds (a resumed run appends to it).</param>
    /// <param name="warn">Where a picture without text, unreadable earlier epochs or a failed drawing are told.</param>
    public TrainingCurves(string folder, bool resume, Action<string> warn)
    {
        this.warn = warn;
        Path = System.IO.Path.Combine(folder, FileName);
        var csv = System.IO.Path.Combine(folder, TrainingLogWriter.MetricsName);
        try
        {
            if (resume) series.AddRange(MetricsCsvReader.Read(csv));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or OverflowException)
        {
            warn($"{FileName} starts at the resumed epoch: the earlier ones in {csv} are unreadable ({e.Message})");
        }
        try
        {
            if (!CurvesPng.HasFonts) warn($"no fonts under /usr/share/fonts: {FileName} is drawn without text (install fonts-dejavu-core)");
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    public string Path { get; }

    /// <summary>What the picture is drawn from, one entry per epoch in order.</summary>
    public IReadOnlyList<EpochFigures> Series => series;

    public void EpochCompleted(EpochReport report)
    {
        var figures = EpochFigures.Of(report);
        // A resume from an older checkpoint repeats epochs that metrics.csv already holds: the new ones replace them.
        series.RemoveAll(f => f.Epoch >= figures.Epoch);
        series.Add(figures);
        try
        {
            CurvesPng.Write(series, Path);
        }
        // Any failure of the native drawing (a missing library, a full disk) costs the picture, not the run.
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        if (failed) return;
        failed = true;
        warn($"{FileName} could not be drawn: {e.GetType().Name}: {e.Message}");
    }
}
