namespace Dsl.Runtime.Tests.Data;

public sealed class TransformTests
{
    [Fact]
    public void BilinearResizeMatchesTorchInterpolate()
    {
        var random = new SplitMix64(3);
        var image = new ImageBuffer(3, 13, 17);
        for (var i = 0; i < image.Data.Length; i++) image.Data[i] = (float)random.NextDouble();
        var ours = Resampling.Bilinear(image, 8, 29);
        using var scope = NewDisposeScope();
        var input = tensor(image.Data, [1, 3, 13, 17]);
        var expected = nn.functional.interpolate(input, [8, 29], mode: InterpolationMode.Bilinear, align_corners: false).data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - ours.Data[i]) < 1e-5, $"{i}: {expected[i]} vs {ours.Data[i]}");
    }

    [Fact]
    public void EvalPipelineResizesShorterSideThenCentreCrops()
    {
        var image = new ImageBuffer(3, 300, 400);
        for (var y = 0; y < 300; y++)
            for (var x = 0; x < 400; x++) image[0, y, x] = x;
        var resized = new ResizeShorterSide(256).Apply(image, new SplitMix64(0));
        Assert.Equal((256, 341), (resized.Height, resized.Width));
        var cropped = new CenterCrop(224).Apply(resized, new SplitMix64(0));
        Assert.Equal((224, 224), (cropped.Height, cropped.Width));
        // Column 0 of the crop is column round((341-224)/2) = 58 of the resized image.
        Assert.Equal(resized[0, 16, 58], cropped[0, 0, 0]);
        var normalized = StandardTransforms.ImageNetEval().Apply(new ImageBuffer(3, 300, 400), new SplitMix64(0));
        Assert.Equal(-0.485f / 0.229f, normalized[0, 0, 0], 5);
    }

    [Fact]
    public void RandomResizedCropStaysInsideTheImageAndWithinLimits()
    {
        var crop = new RandomResizedCrop(224);
        var random = new SplitMix64(11);
        for (var i = 0; i < 500; i++)
        {
            var (top, left, h, w) = crop.Region(375, 500, random);
            Assert.InRange(top, 0, 375 - h);
            Assert.InRange(left, 0, 500 - w);
            Assert.InRange((double)h * w / (375 * 500), 0.07, 1.0);
        }
        var train = StandardTransforms.ImageNetTrain(224, strongAugmentation: true).Apply(new ImageBuffer(3, 100, 150), random);
        Assert.Equal((3, 224, 224), (train.Channels, train.Height, train.Width));
    }

    [Fact]
    public void RandomCropWithPaddingShiftsByAtMostThePadding()
    {
        var image = new ImageBuffer(1, 6, 6);
        image[0, 2, 3] = 1;
        var random = new SplitMix64(5);
        var positions = new HashSet<(int, int)>();
        for (var i = 0; i < 200; i++)
        {
            var cropped = new RandomCrop(6, 2).Apply(image, random);
            var index = Array.IndexOf(cropped.Data, 1f);
            Assert.True(index >= 0);
            positions.Add((index / 6 - 2, index % 6 - 3));
        }
        Assert.Equal(25, positions.Count);
        Assert.All(positions, p => Assert.True(Math.Abs(p.Item1) <= 2 && Math.Abs(p.Item2) <= 2));
    }

    [Fact]
    public void ColorJitterKeepsValuesInRangeAndFlipMirrors()
    {
        var random = new SplitMix64(9);
        var image = new ImageBuffer(3, 4, 4);
        for (var i = 0; i < image.Data.Length; i++) image.Data[i] = (float)random.NextDouble();
        var jittered = new ColorJitter(0.4, 0.4, 0.4).Apply(image, random);
        Assert.All(jittered.Data, v => Assert.InRange(v, 0f, 1f));
        var row = new ImageBuffer(1, 1, 3, [1, 2, 3]);
        var flips = Enumerable.Range(0, 50).Select(_ => new RandomHorizontalFlip().Apply(new ImageBuffer(1, 1, 3, [1, 2, 3]), random).Data[0]).ToList();
        Assert.Contains(1f, flips);
        Assert.Contains(3f, flips);
    }
}
