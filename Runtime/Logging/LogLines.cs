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

    public static string Validation(int epoch, int epochs, EpochMetrics m) => string.Format(Invariant,
        "Val  : [{0:D3}/{1:D3}]\tLoss: {2:F4}\tTop@1: {3:F4}\tTop@5: {4:F4}\tSpeed: {5:F2} ms/batch",
        epoch + 1, epochs, m.Loss, m.Top1, m.Top5, m.MillisecondsPerBatch);

    public static string Evaluation(int inputSize, EpochMetrics m) => string.Format(Invariant,
        "Val@{0}: \tLoss: {1:F4}\tTop@1: {2:F4}\tTop@5: {3:F4}\tSpeed: {4:F2} ms/batch",
        inputSize, m.Loss, m.Top1, m.Top5, m.MillisecondsPerBatch);
}
