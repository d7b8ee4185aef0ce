namespace Dsl.Runtime.Tests.Data;

public sealed class ThroughputTests(ITestOutputHelper output)
{
    // What two CPU cores train a ResNet-50-sized model at is about 20-60 images/s; the loader must outpace that.
    private const double TrainingImagesPerSecond = 60;

    [Fact]
    public void TwoWorkersDecodeAndAugmentJpegsFasterThanTrainingConsumesThem()
    {
        using var temp = new TempFolder();
        const int perClass = 24;
        foreach (var name in new[] { "a", "b" })
        {
            Directory.CreateDirectory(temp.Combine(name));
            TestImages.WritePhotoJpegs(Enumerable.Range(0, perClass).Select(i => temp.Combine(name, $"{i:D2}.jpg")), 224, 224);
        }
        var train = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetTrain(224), 3, 224, 224);
        var eval = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetEval(224), 3, 224, 224);

        var trainRate = ImagesPerSecond(new DataLoader(train, 16, shuffle: true, seed: 3, workers: 2));
        var evalRate = ImagesPerSecond(new DataLoader(eval, 16, shuffle: false, workers: 2));
        output.WriteLine($"224x224 JPEG decode + transform on 2 workers: training {trainRate:F0} images/s, evaluation {evalRate:F0} images/s");
        Assert.True(trainRate > TrainingImagesPerSecond, $"training transforms deliver {trainRate:F0} images/s");
        Assert.True(evalRate > TrainingImagesPerSecond, $"evaluation transforms deliver {evalRate:F0} images/s");
    }

    // The second of two epochs, so that the first pays for JIT compilation and the page cache.
    private static double ImagesPerSecond(DataLoader loader)
    {
        double Epoch(int epoch)
        {
            var clock = Stopwatch.StartNew();
            var images = 0;
            foreach (var batch in loader.Epoch(epoch))
                using (batch) images += batch.Count;
            Assert.Equal(loader.Dataset.Count, images);
            return images / clock.Elapsed.TotalSeconds;
        }
        Epoch(0);
        return Epoch(1);
    }
}
