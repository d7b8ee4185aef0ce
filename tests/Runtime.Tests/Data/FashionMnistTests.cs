using System.IO.Compression;

namespace Dsl.Runtime.Tests.Data;

public sealed class FashionMnistTests
{
    [Fact]
    public void DebianTestSplitLoads()
    {
        var test = FashionMnist.Load(FashionMnist.DefaultFolder, train: false, FashionMnist.EvalTransform());
        Assert.Equal(10000, test.Count);
        Assert.Equal(10, test.ClassNames.Count);
        Assert.Equal((1, 28, 28), (test.Channels, test.Height, test.Width));
        // Every class appears 1000 times in the test split, and the split starts with an ankle boot.
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, Enumerable.Range(0, test.Count).Count(i => test.LabelOf(i) == c)));
        Assert.Equal("Ankle boot", test.ClassNames[test.LabelOf(0)]);
        // Sample 1 is its IDX bytes scaled to [0, 1] and normalized, row by row.
        var (_, raw) = IdxFile.Read(Path.Combine(FashionMnist.DefaultFolder, "t10k-images-idx3-ubyte.gz"), 3);
        var pixels = new float[28 * 28];
        test.Load(1, new SplitMix64(0), pixels);
        for (var i = 0; i < pixels.Length; i++) Assert.Equal((raw[784 + i] / 255f - 0.2860f) / 0.3530f, pixels[i], tolerance: 1e-5f);
    }

    [Fact]
    public void BadMagicAndTruncationAreReported()
    {
        using var temp = new TempFolder();
        var wrong = temp.Combine("wrong.gz");
        WriteGz(wrong, [0, 0, 8, 1, 0, 0, 0, 2, 1, 2]);
        Assert.Contains("rank 3", Assert.Throws<DataException>(() => IdxFile.Read(wrong, 3)).Message);
        var cut = temp.Combine("cut.gz");
        WriteGz(cut, [0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
        var error = Assert.Throws<DataException>(() => IdxFile.Read(cut, 1));
        Assert.Contains("truncated", error.Message);
        Assert.Contains(cut, error.Message);
        var plain = temp.Combine("plain.gz");
        File.WriteAllBytes(plain, [1, 2, 3, 4, 5, 6]);
        Assert.Contains("gzip", Assert.Throws<DataException>(() => IdxFile.Read(plain, 1)).Message);
        Assert.Contains("dataset-fashion-mnist", Assert.Throws<DataException>(() => FashionMnist.Load(temp.Combine("none"), true, FashionMnist.EvalTransform())).Message);
    }

    private static void WriteGz(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(content);
    }
}
