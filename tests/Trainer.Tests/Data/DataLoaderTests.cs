using Dsl.Runtime;
using Dsl.Runtime.Data;

namespace Dsl.Trainer.Tests.Data;

public sealed class DataLoaderTests
{
    [Fact]
    public void EveryEpochCoversAllSamplesInASeededOrder()
    {
        var dataset = new SyntheticDataset(103, 4, 1, 5, 5, seed: 2);
        var loader = new DataLoader(dataset, 10, shuffle: true, seed: 7, workers: 2, prefetch: 2);
        Assert.Equal(11, loader.BatchesPerEpoch);
        var order0 = loader.Order(0);
        Assert.Equal(Enumerable.Range(0, 103), order0.Order());
        Assert.Equal(order0, new DataLoader(dataset, 10, true, seed: 7).Order(0));
        Assert.NotEqual(order0, loader.Order(1));
        Assert.NotEqual(order0, new DataLoader(dataset, 10, true, seed: 8).Order(0));

        var labels = new List<long>();
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                Assert.Equal([batch.Count, 1L, 5, 5], batch.Images.Shape);
                Assert.Equal(DType.Int64, batch.Labels.DType);
                Assert.Equal(batch.LabelValues, batch.Labels.ToArray<long>());
                labels.AddRange(batch.LabelValues);
            }
        Assert.Equal(order0.Select(i => (long)dataset.LabelOf(i)), labels);
    }

    [Fact]
    public void WorkersProduceTheSameBatchesAsTheCallingThread()
    {
        var source = FashionMnist.Load(FashionMnist.DefaultFolder, train: false, FashionMnist.TrainTransform()).Take(300);
        float[][] Run(int workers)
        {
            var loader = new DataLoader(source, 64, shuffle: true, seed: 1, workers: workers);
            return loader.Epoch(3).Select(b => { using (b) return b.Images.ToArray<float>(); }).ToArray();
        }
        var inline = Run(0);
        var threaded = Run(2);
        Assert.Equal(inline.Length, threaded.Length);
        for (var i = 0; i < inline.Length; i++) Assert.Equal(inline[i], threaded[i]);
    }

    [Fact]
    public void StoppingEarlyReleasesTheWorkers()
    {
        var dataset = new SyntheticDataset(1000, 3, 1, 8, 8);
        var loader = new DataLoader(dataset, 10, shuffle: true, workers: 2, prefetch: 3);
        foreach (var batch in loader.Epoch(0).Take(2)) batch.Dispose();
        // A second pass works, so nothing was left blocked.
        Assert.Equal(100, loader.Epoch(1).Select(b => { b.Dispose(); return 1; }).Sum());
    }
}
