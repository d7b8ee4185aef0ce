namespace Dsl.Runtime.Data;

/// <summary>
/// A run of consecutive samples of another data set, renumbered from zero: a held-out split takes the first
/// Count − N samples of the training data to train on and the last N to validate on. The samples stay the source's;
/// nothing is copied.
/// </summary>
public sealed class DatasetSlice : IImageDataset
{
    private readonly IImageDataset source;

    /// <summary>Samples <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 of <paramref name="source"/>.</summary>
    public DatasetSlice(IImageDataset source, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (start < 0 || count < 0 || (long)start + count > source.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"samples {start} to {(long)start + count - 1} are not all among the {source.Count} of the data set");
        (this.source, Start, Count) = (source, start, count);
    }

    /// <summary>The first <paramref name="count"/> samples of <paramref name="source"/>.</summary>
    public static DatasetSlice First(IImageDataset source, int count) => new(source, 0, count);

    /// <summary>The last <paramref name="count"/> samples of <paramref name="source"/>.</summary>
    public static DatasetSlice Last(IImageDataset source, int count) => new(source, source.Count - count, count);

    /// <summary>The source's index of this slice's sample 0.</summary>
    public int Start { get; }
    public int Count { get; }
    public IReadOnlyList<string> ClassNames => source.ClassNames;
    public int Channels => source.Channels;
    public int Height => source.Height;
    public int Width => source.Width;

    public int LabelOf(int index) => source.LabelOf(Source(index));

    public void Load(int index, SplitMix64 random, Span<float> destination) => source.Load(Source(index), random, destination);

    // An index outside the slice must not read a neighbouring sample of the source.
    private int Source(int index) =>
        (uint)index < (uint)Count ? Start + index : throw new ArgumentOutOfRangeException(nameof(index), $"sample {index} is not among the slice's {Count}");
}
