namespace Dsl.Runtime.Tests.Data;

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
        var sample = new float[25];
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                Assert.Equal([batch.Count, 1L, 5, 5], batch.Images.shape);
                Assert.Equal(ScalarType.Float32, batch.Images.dtype);
                Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
                Assert.Equal(batch.LabelValues, batch.Labels.data<long>().ToArray());
                // The last sample of the batch holds exactly what the data set writes for its index.
                var index = order0[batch.Index * 10 + batch.Count - 1];
                dataset.Load(index, new SplitMix64(0), sample);
                using var last = batch.Images[batch.Count - 1];
                Assert.Equal(sample, last.data<float>().ToArray());
                labels.AddRange(batch.LabelValues);
            }
        Assert.Equal(order0.Select(i => (long)dataset.LabelOf(i)), labels);
    }

    [Fact]
    public void AugmentationIsSeededBySeedEpochAndIndex()
    {
        var source = FashionMnist.Load(FashionMnist.DefaultFolder, train: false, FashionMnist.TrainTransform(padding: 4, flip: true)).Take(40);
        float[] Images(ulong seed, int epoch)
        {
            using var batch = new DataLoader(source, 40, shuffle: false, seed: seed, workers: 0).Epoch(epoch).Single();
            return batch.Images.data<float>().ToArray();
        }
        Assert.Equal(Images(1, 0), Images(1, 0));
        Assert.NotEqual(Images(1, 0), Images(1, 1));
        Assert.NotEqual(Images(1, 0), Images(2, 0));
    }

    [Fact]
    public void WorkersProduceTheSameBatchesAsTheCallingThread()
    {
        var source = FashionMnist.Load(FashionMnist.DefaultFolder, train: false, FashionMnist.TrainTransform(padding: 2, flip: true)).Take(300);
        float[][] Run(int workers)
        {
            var loader = new DataLoader(source, 64, shuffle: true, seed: 1, workers: workers);
            return loader.Epoch(3).Select(b => { using (b) return b.Images.data<float>().ToArray(); }).ToArray();
        }
        var inline = Run(0);
        var threaded = Run(2);
        Assert.Equal(5, inline.Length);
        Assert.Equal(inline.Length, threaded.Length);
        for (var i = 0; i < inline.Length; i++) Assert.Equal(inline[i], threaded[i]);
    }

    [Fact]
    public void BatchesOutliveTheConsumersDisposeScopeAndDisposeTheirTensors()
    {
        var loader = new DataLoader(new SyntheticDataset(8, 2, 1, 3, 3), 4, shuffle: false, workers: 0);
        Batch batch;
        using (torch.NewDisposeScope()) batch = loader.Epoch(0).First();
        Assert.False(batch.Images.IsInvalid);
        Assert.Equal(36, batch.Images.data<float>().ToArray().Length);
        batch.Dispose();
        Assert.True(batch.Images.IsInvalid);
        Assert.True(batch.Labels.IsInvalid);
    }

    [Fact]
    public void StoppingEarlyFreesThePreparedBatchesAndReleasesTheWorkers()
    {
        var dataset = new SyntheticDataset(1000, 3, 1, 8, 8);
        var loader = new DataLoader(dataset, 10, shuffle: true, workers: 2, prefetch: 3);
        // Earlier tests' garbage is finalized first, so that only this test's tensors move the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = torch.Tensor.TotalCount;
        foreach (var batch in loader.Epoch(0).Take(2)) batch.Dispose();
        Assert.Equal(before, torch.Tensor.TotalCount);
        // A second pass works, so nothing was left blocked.
        Assert.Equal(100, loader.Epoch(1).Select(b => { b.Dispose(); return 1; }).Sum());
        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    [Fact]
    public void AFailingSampleStopsTheEpochWithTheBatchNamed()
    {
        var loader = new DataLoader(new FailingDataset(failAt: 13), 5, shuffle: false, workers: 2);
        var error = Assert.Throws<DataException>(() => loader.Epoch(4).ToList().ForEach(b => b.Dispose()));
        Assert.Contains("batch 2 of epoch 4", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    private sealed class FailingDataset(int failAt) : IImageDataset
    {
        public int Count => 20;
        public IReadOnlyList<string> ClassNames { get; } = ["only"];
        public int Channels => 1;
        public int Height => 1;
        public int Width => 1;
        public int LabelOf(int index) => 0;

        public void Load(int index, SplitMix64 random, Span<float> destination)
        {
            if (index == failAt) throw new InvalidOperationException($"sample {index} is broken");
            destination[0] = index;
        }
    }
}
