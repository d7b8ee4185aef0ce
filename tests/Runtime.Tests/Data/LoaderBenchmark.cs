using Dsl.Runtime.Tests.Inference;

namespace Dsl.Runtime.Tests.Data;

/// <summary>
/// Images per second that two workers decode and augment from 224x224 JPEGs, for training and for evaluation. Two
/// CPU cores train a ResNet-50-sized model at about 20-60 images/s, so the loader should deliver more.
/// </summary>
public sealed class LoaderBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact]
    public void TwoWorkersDecodingJpegs()
    {
        using var temp = new TempFolder();
        TestImages.WritePhotoClassFolders(temp, perClass: 24, 224);
        var train = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetTrain(224), 3, 224, 224);
        var eval = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetEval(224), 3, 224, 224);

        var trainRate = ImagesPerSecond(new DataLoader(train, 16, shuffle: true, seed: 3, workers: 2));
        var evalRate = ImagesPerSecond(new DataLoader(eval, 16, shuffle: false, workers: 2));
        output.WriteLine($"224x224 JPEG decode + transform on 2 workers: training {trainRate:F0} images/s, evaluation {evalRate:F0} images/s");
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
            return images / clock.Elapsed.TotalSeconds;
        }
        Epoch(0);
        return Epoch(1);
    }
}
