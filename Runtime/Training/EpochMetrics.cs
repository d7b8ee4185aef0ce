namespace Dsl.Runtime.Training;

/// <summary>Per-sample averages of one pass over a data set, and its timing.</summary>
public sealed record EpochMetrics(double Loss, double Top1, double Top5, int Samples, int Batches,
    double MillisecondsPerBatch, double DataMillisecondsPerBatch, TimeSpan Elapsed);
