namespace Dsl.Runtime.Tests.Data;

/// <summary>
/// JPEG folders through the ImageNet transforms on two workers: what the loader yields, whatever its speed
/// (<see cref="LoaderBenchmark"/> measures that).
/// </summary>
public sealed class ImageFolderLoaderTests
{
    private const int Size = 224;
    private const int BatchSize = 6;

    [Fact]
    public void TwoWorkersYieldEveryJpegOnceInTheLoadersOrderAsTheCallingThreadDoes()
    {
        using var temp = new TempFolder();
        TestImages.WritePhotoClassFolders(temp, perClass: 7, Size);
        var train = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetTrain(Size), 3, Size, Size);
        var eval = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetEval(Size), 3, Size, Size);

        foreach (var (dataset, shuffle) in new[] { (train, true), (eval, false) })
        {
            var threaded = new DataLoader(dataset, BatchSize, shuffle, seed: 3, workers: 2);
            var (images, labels) = Epoch(threaded, 1);
            // 14 images in batches of 6, 6 and 2, each image once, labelled by its folder, in the epoch's order.
            Assert.Equal([BatchSize, BatchSize, 2], images.Select(batch => batch.Length / (3 * Size * Size)));
            var order = threaded.Order(1);
            Assert.Equal(Enumerable.Range(0, 14), order.Order());
            Assert.Equal(shuffle, !order.SequenceEqual(Enumerable.Range(0, 14)));
            Assert.Equal(order.Select(i => (long)dataset.LabelOf(i)), labels);
            // The workers decode and augment each sample exactly as the calling thread does.
            Assert.Equal(images, Epoch(new DataLoader(dataset, BatchSize, shuffle, seed: 3, workers: 0), 1).Images);
        }
    }

    private static (List<float[]> Images, List<long> Labels) Epoch(DataLoader loader, int epoch)
    {
        var (images, labels) = (new List<float[]>(), new List<long>());
        foreach (var batch in loader.Epoch(epoch))
            using (batch)
            {
                Assert.Equal([batch.Count, 3L, Size, Size], batch.Images.shape);
                images.Add(batch.Images.data<float>().ToArray());
                labels.AddRange(batch.LabelValues);
            }
        return (images, labels);
    }
}
