using Dsl.Runtime.Data;

namespace Dsl.Trainer.Tests.Data;

public sealed class ImageFolderTests
{
    private static readonly IImageTransform Eval = new TransformPipeline(new ResizeShorterSide(16), new CenterCrop(16));

    [Fact]
    public void ClassesAreSortedFoldersAndFilesAreLabelled()
    {
        using var temp = new TempFolder();
        foreach (var (name, count) in new[] { ("zebra", 2), ("ant", 3) })
        {
            Directory.CreateDirectory(temp.Combine(name));
            for (var i = 0; i < count; i++) TestImages.WritePng(temp.Combine(name, $"{i}.png"), 20, 24, i);
        }
        File.WriteAllText(temp.Combine("ant", "notes.txt"), "not an image");
        var dataset = new ImageFolderDataset(temp.Path, Eval, 3, 16, 16);
        Assert.Equal(["ant", "zebra"], dataset.ClassNames);
        Assert.Equal(5, dataset.Count);
        Assert.Equal([0, 0, 0, 1, 1], Enumerable.Range(0, 5).Select(dataset.LabelOf));
        var pixels = new float[3 * 16 * 16];
        dataset.Load(4, new SplitMix64(1), pixels);
        Assert.Contains(pixels, p => p > 0);
    }

    [Fact]
    public void MissingEmptyAndImagelessFoldersAreNamedInErrors()
    {
        using var temp = new TempFolder();
        var missing = temp.Combine("nope");
        Assert.Contains(missing, Assert.Throws<DataException>(() => new ImageFolderDataset(missing, Eval, 3, 16, 16)).Message);
        Assert.Contains("no class sub-folders", Assert.Throws<DataException>(() => new ImageFolderDataset(temp.Path, Eval, 3, 16, 16)).Message);
        Directory.CreateDirectory(temp.Combine("cat"));
        TestImages.WritePng(temp.Combine("cat", "a.png"), 16, 16, 0);
        Directory.CreateDirectory(temp.Combine("dog"));
        var error = Assert.Throws<DataException>(() => new ImageFolderDataset(temp.Path, Eval, 3, 16, 16));
        Assert.Contains(temp.Combine("dog"), error.Message);
        Assert.Contains("no images", error.Message);
    }

    [Fact]
    public void CorruptAndTruncatedImagesAreSkippedAndCountedOrFatalWhenStrict()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("a"));
        Directory.CreateDirectory(temp.Combine("b"));
        TestImages.WriteJpegs([(temp.Combine("a", "good.jpg"), 40, 30, 10), (temp.Combine("b", "good.jpg"), 30, 40, 200),
            (temp.Combine("b", "cut.jpg"), 64, 64, 90)]);
        var cut = File.ReadAllBytes(temp.Combine("b", "cut.jpg"));
        File.WriteAllBytes(temp.Combine("b", "cut.jpg"), cut[..(cut.Length / 2)]);
        File.WriteAllBytes(temp.Combine("a", "garbage.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5]);

        Assert.Contains("cut.jpg", Assert.Throws<CorruptImageException>(() => ImageDecoder.Decode(temp.Combine("b", "cut.jpg"))).Message);
        var dataset = new ImageFolderDataset(temp.Path, Eval, 3, 16, 16);
        var loader = new DataLoader(dataset, batchSize: 8, shuffle: false, workers: 1);
        var warnings = new List<string>();
        loader.SkippedSample += e => { lock (warnings) warnings.Add(e.Path); };
        var batches = loader.Epoch(0).ToList();
        try
        {
            Assert.Single(batches);
            Assert.Equal(2, batches[0].Count);
            Assert.Equal([0L, 1L], batches[0].LabelValues);
            Assert.Equal(2, loader.SkippedCount);
            Assert.Equal(2, warnings.Count);
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }

        var strict = new DataLoader(dataset, batchSize: 8, shuffle: false, workers: 1, corrupt: CorruptSamplePolicy.Throw);
        var error = Assert.Throws<DataException>(() => strict.Epoch(0).ToList().ForEach(b => b.Dispose()));
        Assert.Contains("garbage.png", error.Message);
    }

    [Fact]
    public void JpegDecodesToRgbOfItsSize()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("x.jpg");
        TestImages.WriteJpegs([(path, 12, 7, 250)]);
        using var tensor = ImageDecoder.Decode(path);
        Assert.Equal([7L, 12, 3], tensor.Shape);
        var image = ImageDecoder.DecodeToBuffer(path);
        Assert.InRange(image[0, 3, 3], 0.95f, 1f);
        Assert.InRange(image[1, 3, 3], 0f, 0.05f);
    }
}
