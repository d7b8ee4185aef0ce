using System.Diagnostics;

namespace Dsl.Runtime.Training;

/// <summary>Sums loss and correct counts weighted by batch size (the original AverageMeter), and batch times.</summary>
public sealed class MetricAccumulator
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private double lossSum, dataSeconds, batchSeconds;
    private long top1, top5;

    public int Samples { get; private set; }
    public int Batches { get; private set; }

    public double Loss => Samples == 0 ? double.NaN : lossSum / Samples;
    public double Top1 => Samples == 0 ? double.NaN : 100.0 * top1 / Samples;
    public double Top5 => Samples == 0 ? double.NaN : 100.0 * top5 / Samples;
    public TimeSpan Elapsed => clock.Elapsed;

    /// <param name="meanLoss">The batch's mean loss.</param>
    /// <param name="batchTime">Wall time of the whole step, data wait included.</param>
    public void Add(double meanLoss, int count, int correctTop1, int correctTop5, TimeSpan dataTime, TimeSpan batchTime)
    {
        lossSum += meanLoss * count;
        top1 += correctTop1;
        top5 += correctTop5;
        Samples += count;
        Batches++;
        dataSeconds += dataTime.TotalSeconds;
        batchSeconds += batchTime.TotalSeconds;
    }

    public EpochMetrics ToMetrics() => new(Loss, Top1, Top5, Samples, Batches,
        Batches == 0 ? 0 : 1000 * batchSeconds / Batches, Batches == 0 ? 0 : 1000 * dataSeconds / Batches, clock.Elapsed);
}
