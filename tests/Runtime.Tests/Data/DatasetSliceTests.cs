namespace Dsl.Runtime.Tests.Data;

public sealed class DatasetSliceTests
{
    private static readonly InMemoryImageDataset Source =
        FashionMnist.Load(FashionMnist.DefaultFolder, train: false, FashionMnist.EvalTransform()).Take(100);

    [Fact]
    public void FirstAndLastHoldTheSourcesImagesAndLabelsInOrder()
    {
        var (first, last) = (DatasetSlice.First(Source, 70), DatasetSlice.Last(Source, 30));
        Assert.Equal((70, 30), (first.Count, last.Count));
        Assert.Equal((0, 70), (first.Start, last.Start));
        foreach (var (slice, index, source) in new[] { (first, 0, 0), (first, 69, 69), (last, 0, 70), (last, 29, 99) })
        {
            Assert.Equal(TestImages.Sample(Source, source), TestImages.Sample(slice, index));
            Assert.Equal(Source.LabelOf(source), slice.LabelOf(index));
        }
        Assert.Equal(Enumerable.Range(70, 30).Select(Source.LabelOf), Enumerable.Range(0, 30).Select(last.LabelOf));
        // Neighbouring images differ, so the comparisons above can tell an off-by-one.
        Assert.NotEqual(TestImages.Sample(Source, 69), TestImages.Sample(last, 0));
        Assert.Equal((Source.Channels, Source.Height, Source.Width, Source.ClassNames), (last.Channels, last.Height, last.Width, last.ClassNames));
    }

    [Fact]
    public void IndicesOutsideTheSliceAndSlicesOutsideTheSourceAreRefused()
    {
        var first = DatasetSlice.First(Source, 70);
        Assert.Throws<ArgumentOutOfRangeException>(() => first.LabelOf(70));
        Assert.Throws<ArgumentOutOfRangeException>(() => first.Load(-1, new SplitMix64(0), new float[784]));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetSlice(Source, 90, 11));
        Assert.Contains("samples 90 to 100 are not all among the 100", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSlice.Last(Source, 101));
    }
}
