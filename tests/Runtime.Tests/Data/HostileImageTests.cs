namespace Dsl.Runtime.Tests.Data;

/// <summary>Image folders holding files made to cost memory or to block: each is skipped by name, quickly and cheaply.</summary>
public sealed class HostileImageTests(ITestOutputHelper output)
{
    [Fact]
    public void AStripOfPixelsIsSkippedByNameWithoutResizingItIntoGigabytes()
    {
        using var temp = new TempFolder();
        var strip = ClassFolders(temp, "strip.png");
        // 30000x1 compresses to a few hundred bytes; resizing its shorter side to 64 would make 64 x 1,920,000 pixels.
        TestImages.WritePng(strip, 30_000, 1, seed: 1);
        var dataset = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetEval(64), 3, 64, 64);
        // libtorch and the loader's first batches are resident before the measurement starts.
        using (var warm = new TempFolder())
        {
            TestImages.WritePng(ClassFolders(warm, "fine.png"), 64, 64, seed: 2);
            LoadEpoch(new ImageFolderDataset(warm.Path, StandardTransforms.ImageNetEval(64), 3, 64, 64));
        }

        var baseline = ResidentMemory.BytesAfterCollection();
        ResidentMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        var (kept, skipped) = LoadEpoch(dataset);
        var growth = ResidentMemory.PeakBytes() - baseline;
        output.WriteLine($"{clock.Elapsed.TotalMilliseconds:F0} ms, peak resident memory {growth / ResidentMemory.Megabyte} MB above the start");

        Assert.Equal(1, kept);
        var warning = Assert.Single(skipped);
        Assert.Equal(strip, warning.Path);
        Assert.Contains("30000x1", warning.Message);
        Assert.True(growth < 100 * ResidentMemory.Megabyte, $"resident memory peaked {growth / ResidentMemory.Megabyte} MB above the start");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void AResizeBeyondTheBufferBoundIsACorruptImageNamingTheFile()
    {
        using var temp = new TempFolder();
        var wide = ClassFolders(temp, "wide.png");
        TestImages.WritePng(wide, 90, 1, seed: 2);
        // 40000 x 3,600,000 x 3 values: past int, which used to wrap around to a negative size.
        var dataset = new ImageFolderDataset(temp.Path, new ResizeShorterSide(40_000), 3, 40_000, 40_000);
        var error = Assert.Throws<CorruptImageException>(() => dataset.Load(1, new SplitMix64(0), new float[3]));
        Assert.Equal(wide, error.Path);
        Assert.Contains("3x40000x3600000", error.Message);
        Assert.IsType<ImageTooLargeException>(error.InnerException);
    }

    [Fact]
    public void AFifoNamedAsAnImageIsSkippedByNameInsteadOfBlocking()
    {
        using var temp = new TempFolder();
        var fifo = ClassFolders(temp, "pipe.png");
        HostileFile.MakeFifo(fifo);
        var dataset = new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetEval(16), 3, 16, 16);

        var (kept, skipped) = HostileFile.WithinSeconds(10, () => LoadEpoch(dataset), fifo);
        Assert.Equal(1, kept);
        var warning = Assert.Single(skipped);
        Assert.Equal(fifo, warning.Path);
        Assert.Contains("is a FIFO, not a regular file", warning.Message);
    }

    [Fact]
    public void AFileOverTheSizeBoundIsRefusedUnread()
    {
        var (error, huge) = HostileFile.Refused<CorruptImageException>("huge.jpg",
            path => HostileFile.Sparse(path, ImageDecoder.MaxFileBytes + 1), path => ImageDecoder.Decode(path));
        Assert.Equal(huge, error.Path);
        Assert.Contains($"more than the {ImageDecoder.MaxFileBytes:N0} allowed", error.Message);
    }

    [Fact]
    public void ALinkToItsOwnClassFolderIsNotFollowed()
    {
        using var temp = new TempFolder();
        TestImages.WritePng(ClassFolders(temp, "other.png"), 8, 8, seed: 5);
        File.CreateSymbolicLink(temp.Combine("a", "loop"), temp.Combine("a"));
        Directory.CreateDirectory(temp.Combine("a", "real"));
        TestImages.WritePng(temp.Combine("a", "real", "nested.png"), 8, 8, seed: 4);
        File.CreateSymbolicLink(temp.Combine("a", "linked.png"), temp.Combine("a", "real", "nested.png"));

        var dataset = HostileFile.WithinSeconds(10, () => new ImageFolderDataset(temp.Path, StandardTransforms.ImageNetEval(16), 3, 16, 16));
        var files = Enumerable.Range(0, dataset.Count).Where(i => dataset.LabelOf(i) == 0).Select(i => Path.GetRelativePath(temp.Path, dataset.PathOf(i)));
        Assert.Equal(["a/good.png", "a/linked.png", "a/real/nested.png"], files);
    }

    // Class a with one good 16x16 PNG and class b holding only the hostile file, whose path is returned.
    private static string ClassFolders(TempFolder temp, string hostileName)
    {
        Directory.CreateDirectory(temp.Combine("a"));
        Directory.CreateDirectory(temp.Combine("b"));
        TestImages.WritePng(temp.Combine("a", "good.png"), 16, 16, seed: 3);
        return temp.Combine("b", hostileName);
    }

    private static (int Kept, List<CorruptImageException> Skipped) LoadEpoch(ImageFolderDataset dataset)
    {
        var loader = new DataLoader(dataset, batchSize: 4, shuffle: false, workers: 1);
        var skipped = new List<CorruptImageException>();
        loader.SkippedSample += e => { lock (skipped) skipped.Add(e); };
        var kept = 0;
        foreach (var batch in loader.Epoch(0))
            using (batch) kept += batch.Count;
        return (kept, skipped);
    }
}
