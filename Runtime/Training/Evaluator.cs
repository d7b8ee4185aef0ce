using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Compute;

namespace Dsl.Runtime.Training;

/// <summary>
/// Runs a model over a data set without gradients and averages cross-entropy and top-1/top-5 per sample. With
/// <see cref="Augmentation.Flip"/> the logits are the mean of the image's and its horizontal mirror's.
/// </summary>
public static class Evaluator
{
    /// <param name="precision">The training precision to run in; null is float32.</param>
    public static EpochMetrics Evaluate(nn.Module<Tensor, Tensor> model, DataLoader loader, Device device, bool channelsLast = false,
        Choice<Precision>? precision = null, Action<int, int>? onBatch = null, Augmentation testAugmentation = Augmentation.None)
    {
        if (testAugmentation is not (Augmentation.None or Augmentation.Flip))
            throw new ArgumentException($"evaluation averages over flips or nothing, not {testAugmentation}", nameof(testAugmentation));
        precision ??= Choice.AsAsked(Precision.Float32);
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
                using var pause = CollectorPause.Start();
                using var scope = NewDisposeScope();
                var (images, labels) = batch.To(device, channelsLast);
                var logits = precision.Forward(model, images);
                // Not in place: the logits of an inference form are inference tensors, read-only outside its inference mode.
                if (testAugmentation == Augmentation.Flip) logits = (logits + precision.Forward(model, images.flip(3))) / 2;
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
