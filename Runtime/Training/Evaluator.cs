using System.Diagnostics;
using Dsl.Runtime.Data;

namespace Dsl.Runtime.Training;

/// <summary>Runs a model over a data set without gradients and averages cross-entropy and top-1/top-5 per sample.</summary>
public static class Evaluator
{
    public static EpochMetrics Evaluate(nn.Module<Tensor, Tensor> model, DataLoader loader, Device device, bool channelsLast = false,
        Action<int, int>? onBatch = null)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
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
                using var scope = NewDisposeScope();
                var (images, labels) = batch.To(device, channelsLast);
                var logits = model.call(images);
                var loss = nn.functional.cross_entropy(logits, labels).item<float>();
                var (top1, top5) = Accuracy.Count(logits, batch.LabelValues);
                metrics.Add(loss, batch.Count, top1, top5, dataTime, clock.Elapsed);
                onBatch?.Invoke(metrics.Batches, steps);
            }
            return metrics.ToMetrics();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
