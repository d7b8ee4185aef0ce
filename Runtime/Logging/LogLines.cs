using System.Globalization;
using Dsl.Runtime.Training;

namespace Dsl.Runtime.Logging;

/// <summary>The text lines of the original script's log, tab-separated.</summary>
public static class LogLines
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Train(int epoch, int epochs, EpochMetrics m) => string.Format(Invariant,
        "Train: [{0:D3}/{1:D3}]\tLoss: {2:F4}\tTop@1: {3:F4}\tTop@5: {4:F4}\tSpeed: {5:F2} ms/batch\tData loading: {6:F2} ms/batch",
        epoch + 1, epochs, m.Loss, m.Top1, m.Top5, m.MillisecondsPerBatch, m.DataMillisecondsPerBatch);

    public static string Validation(int epoch, int epochs, EpochMetrics m) => Evaluated("Val  ", epoch, epochs, m);

    /// <summary>The averaged weights' validation (<see cref="EpochReport.EmaValidation"/>), in the validation line's format.</summary>
    public static string AveragedValidation(int epoch, int epochs, EpochMetrics m) => Evaluated("EMA  ", epoch, epochs, m);

    /// <summary>What a console shows at an epoch's end: the training line, then the validation line with the averaged
    /// weights' top-1 beside the live weights' where the run keeps an average.</summary>
    public static IEnumerable<string> EpochEnd(EpochReport r)
    {
        yield return Train(r.Epoch, r.Epochs, r.Train);
        if (r.Validation is null) yield break;
        yield return Validation(r.Epoch, r.Epochs, r.Validation)
            + (r.EmaValidation is { } ema ? string.Format(Invariant, "\tEMA Top@1: {0:F4}", ema.Top1) : "");
    }

    private static string Evaluated(string label, int epoch, int epochs, EpochMetrics m) => string.Format(Invariant,
        "{0}: [{1:D3}/{2:D3}]\tLoss: {3:F4}\tTop@1: {4:F4}\tTop@5: {5:F4}\tSpeed: {6:F2} ms/batch",
        label, epoch + 1, epochs, m.Loss, m.Top1, m.Top5, m.MillisecondsPerBatch);

    public static string Evaluation(int inputSize, EpochMetrics m) => string.Format(Invariant,
        "Val@{0}: \tLoss: {1:F4}\tTop@1: {2:F4}\tTop@5: {3:F4}\tSpeed: {4:F2} ms/batch",
        inputSize, m.Loss, m.Top1, m.Top5, m.MillisecondsPerBatch);
}
