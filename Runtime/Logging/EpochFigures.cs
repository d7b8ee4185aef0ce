using Dsl.Runtime.Training;

namespace Dsl.Runtime.Logging;

/// <summary>One epoch's numbers on curves.png: <paramref name="Epoch"/> counts from 1 (as metrics.csv does), and a
/// figure is null where the run made no such evaluation (no validation set, no averaged weights).</summary>
public sealed record EpochFigures(int Epoch, double LearningRate, double TrainLoss, double TrainTop1,
    double? ValidationLoss, double? ValidationTop1, double? EmaLoss = null, double? EmaTop1 = null)
{
    public static EpochFigures Of(EpochReport r) => new(r.Epoch + 1, r.LearningRate, r.Train.Loss, r.Train.Top1,
        r.Validation?.Loss, r.Validation?.Top1, r.EmaValidation?.Loss, r.EmaValidation?.Top1);
}
