namespace Dsl.Runtime.Tests.Data;

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
            for (var i = 0; i < count; i++) TestImages.WritePng(temp.Combine(name, $"{i}.png"), 16, 16, i);
        }
        File.WriteAllText(temp.Combine("ant", "notes.txt"), "not an image");
        var dataset = new ImageFolderDataset(temp.Path, Eval, 3, 16, 16);
        Assert.Equal(["ant", "zebra"], dataset.ClassNames);
        Assert.Equal(5, dataset.Count);
        Assert.Equal([0, 0, 0, 1, 1], Enumerable.Range(0, 5).Select(dataset.LabelOf));
        // Sample 4 is zebra/1.png; at its own size the transforms leave its pixels as decoded.
        var pixels = new float[3 * 16 * 16];
        dataset.Load(4, new SplitMix64(1), pixels);
        Assert.Equal(ImageDecoder.Decode(temp.Combine("zebra", "1.png")).Data, pixels);
    }

    [Fact]
    public void PngDecodesExactlyToPlanesOfRedGreenBlue()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("x.png");
        TestImages.WritePng(path, 5, 3, seed: 2);
        var image = ImageDecoder.Decode(path);
        Assert.Equal((3, 3, 5), (image.Channels, image.Height, image.Width));
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 3; y++)
                for (var x = 0; x < 5; x++)
                    Assert.Equal(((2 * 37 + x * (c + 1) * 11 + y * 7 * (3 - c)) & 0xFF) / 255f, image[c, y, x]);
    }

    [Fact]
    public void PngAlphaIsDroppedNotBlended()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("clear.png");
        TestImages.WriteRgbaPng(path, 4, 2, (200, 100, 50, 0));
        var image = ImageDecoder.Decode(path);
        Assert.Equal((3, 2, 4), (image.Channels, image.Height, image.Width));
        Assert.Equal([200 / 255f, 100 / 255f, 50 / 255f], new[] { image[0, 1, 3], image[1, 1, 3], image[2, 1, 3] });
    }

    [Fact]
    public void JpegDecodesToRgbOfItsSize()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("x.jpg");
        TestImages.WriteJpegs([(path, 12, 7, 250)]);
        var image = ImageDecoder.Decode(path);
        Assert.Equal((3, 7, 12), (image.Channels, image.Height, image.Width));
        // (250, 5, 128), give or take JPEG's rounding.
        Assert.InRange(image[0, 3, 3], 0.95f, 1f);
        Assert.InRange(image[1, 3, 3], 0f, 0.05f);
        Assert.InRange(image[2, 6, 11], 0.47f, 0.53f);
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
    public void EveryKindOfBrokenFileIsACorruptImageNamingIt()
    {
        using var temp = new TempFolder();
        TestImages.WriteJpegs([(temp.Combine("whole.jpg"), 64, 64, 90)]);
        var jpeg = File.ReadAllBytes(temp.Combine("whole.jpg"));
        TestImages.WritePng(temp.Combine("whole.png"), 64, 64, 3);
        var png = File.ReadAllBytes(temp.Combine("whole.png"));
        var cases = new Dictionary<string, byte[]>
        {
            ["half.jpg"] = jpeg[..(jpeg.Length / 2)],
            ["no-end-marker.jpg"] = jpeg[..^2],
            ["header-only.jpg"] = jpeg[..200],
            ["scrambled.jpg"] = [.. jpeg[..200], .. Enumerable.Repeat((byte)0x5A, jpeg.Length - 200)],
            ["half.png"] = png[..(png.Length / 2)],
            ["signature-only.png"] = png[..8],
            ["garbage.png"] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5],
            ["bad-crc.png"] = [.. png[..40], (byte)(png[40] ^ 0xFF), .. png[41..]],
            ["empty.jpg"] = [],
            ["text.jpg"] = "not an image"u8.ToArray(),
            ["huge.png"] = HugePngHeader(),
        };
        foreach (var (name, bytes) in cases)
        {
            var path = temp.Combine(name);
            File.WriteAllBytes(path, bytes);
            var error = Assert.Throws<CorruptImageException>(() => ImageDecoder.Decode(path));
            Assert.Equal(path, error.Path);
            Assert.Contains(name, error.Message);
        }
        // Only the end-of-image marker missing: the decoder would fill the rest with grey if it were allowed to.
        Assert.Contains("truncated JPEG", Assert.Throws<CorruptImageException>(() => ImageDecoder.Decode(temp.Combine("no-end-marker.jpg"))).Message);
        Assert.Contains("pixels", Assert.Throws<CorruptImageException>(() => ImageDecoder.Decode(temp.Combine("huge.png"))).Message);
        Assert.Equal(temp.Combine("absent.png"), Assert.Throws<CorruptImageException>(() => ImageDecoder.Decode(temp.Combine("absent.png"))).Path);
    }

    [Fact]
    public void DamagedFilesDecodeOrFailAsCorruptImagesButNeverOtherwise()
    {
        using var temp = new TempFolder();
        TestImages.WritePhotoJpegs([temp.Combine("photo.jpg")], 96, 64);
        TestImages.WritePng(temp.Combine("photo.png"), 96, 64, 5);
        var random = new SplitMix64(17);
        var corrupt = 0;
        foreach (var original in new[] { File.ReadAllBytes(temp.Combine("photo.jpg")), File.ReadAllBytes(temp.Combine("photo.png")) })
            for (var trial = 0; trial < 150; trial++)
            {
                // A few random bytes overwritten, past the signature so that the codec's own parser meets them.
                var bytes = (byte[])original.Clone();
                for (var k = 0; k < 1 + random.Next(8); k++) bytes[8 + random.Next(bytes.Length - 8)] = (byte)random.Next(256);
                try
                {
                    var image = ImageDecoder.Decode(bytes, $"trial {trial}");
                    Assert.Equal((3, 64, 96), (image.Channels, image.Height, image.Width));
                }
                catch (CorruptImageException e)
                {
                    Assert.Contains($"trial {trial}", e.Message);
                    corrupt++;
                }
            }
        // PNG's checksums catch nearly every change, so a good share of trials must have been refused.
        Assert.InRange(corrupt, 100, 300);
    }

    [Fact]
    public void CorruptSamplesAreSkippedAndCountedOrFatalWhenStrict()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("a"));
        Directory.CreateDirectory(temp.Combine("b"));
        TestImages.WriteJpegs([(temp.Combine("a", "good.jpg"), 16, 16, 10), (temp.Combine("b", "good.jpg"), 16, 16, 200),
            (temp.Combine("b", "cut.jpg"), 64, 64, 90)]);
        var cut = File.ReadAllBytes(temp.Combine("b", "cut.jpg"));
        File.WriteAllBytes(temp.Combine("b", "cut.jpg"), cut[..(cut.Length / 2)]);
        File.WriteAllBytes(temp.Combine("a", "garbage.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5]);

        var dataset = new ImageFolderDataset(temp.Path, Eval, 3, 16, 16);
        var loader = new DataLoader(dataset, batchSize: 8, shuffle: false, workers: 1);
        var warnings = new List<string>();
        loader.SkippedSample += e => { lock (warnings) warnings.Add(Path.GetFileName(e.Path)); };
        var batches = loader.Epoch(0).ToList();
        try
        {
            Assert.Single(batches);
            Assert.Equal(2, batches[0].Count);
            Assert.Equal([0L, 1L], batches[0].LabelValues);
            Assert.Equal([2L, 3, 16, 16], batches[0].Images.shape);
            // The kept samples close ranks: the second row is b/good.jpg, not the skipped file's slot.
            using var second = batches[0].Images[1];
            Assert.Equal(ImageDecoder.Decode(temp.Combine("b", "good.jpg")).Data, second.data<float>().ToArray());
            Assert.Equal(2, loader.SkippedCount);
            Assert.Equal(["garbage.png", "cut.jpg"], warnings);
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }

        var strict = new DataLoader(dataset, batchSize: 8, shuffle: false, workers: 1, corrupt: CorruptSamplePolicy.Throw);
        var error = Assert.Throws<DataException>(() => strict.Epoch(0).ToList().ForEach(b => b.Dispose()));
        Assert.Contains("garbage.png", error.Message);
        Assert.IsType<CorruptImageException>(error.InnerException);
    }

    // A valid PNG signature and header declaring 100000 x 100000 pixels, with no image data behind it.
    private static byte[] HugePngHeader()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("small.png");
        TestImages.WritePng(path, 1, 1, 0);
        var bytes = File.ReadAllBytes(path);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 100_000);
        // The header's CRC covers the changed size; a reader that checks it would stop before the size check.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), TestImages.Crc32(bytes[12..29]));
        return bytes;
    }
}
