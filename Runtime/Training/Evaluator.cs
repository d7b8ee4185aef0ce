using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Training;

/// <summary>Runs a model over a data set without gradients and averages cross-entropy and top-1/top-5 per sample.</summary>
public static class Evaluator
{
    public static EpochMetrics Evaluate(Module<Tensor, Tensor> model, DataLoader loader, Device device, bool channelsLast = false,
        Action<int, int>? onBatch = null)
    {
        var wasTraining = model.Training;
        model.Eval();
        try
        {
            using var noGrad = new NoGradScope();
            var metrics = new MetricAccumulator();
            var clock = Stopwatch.StartNew();
            var steps = loader.BatchesPerEpoch;
            using var batches = loader.Epoch(0).GetEnumerator();
            while (true)
            {
                clock.Restart();
                if (!batches.MoveNext()) break;
                using var batch = batches.Current;
                var dataTime = clock.Elapsed;
                using var scope = new TensorScope();
                var (images, labels) = TrainingLoop.ToDevice(batch, device, channelsLast);
                var logits = model.Forward(images);
                var loss = Functional.CrossEntropy(logits, labels).Item();
                var (top1, top5) = Accuracy.Count(logits, batch.LabelValues);
                metrics.Add(loss, batch.Count, top1, top5, dataTime, clock.Elapsed);
                onBatch?.Invoke(metrics.Batches, steps);
            }
            return metrics.ToMetrics();
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
