namespace Dsl.Runtime.Data;

/// <summary>Small images held in memory as bytes (C x H x W per sample), transformed on load.</summary>
public sealed class InMemoryImageDataset : IImageDataset
{
    private readonly byte[] pixels;
    private readonly int[] labels;
    private readonly int sourceChannels, sourceHeight, sourceWidth;
    private readonly IImageTransform transform;

    public InMemoryImageDataset(byte[] pixels, int[] labels, int channels, int height, int width,
        IReadOnlyList<string> classNames, IImageTransform transform, int? outputHeight = null, int? outputWidth = null)
    {
        if (pixels.Length != (long)labels.Length * channels * height * width)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not hold {labels.Length} images of {channels}x{height}x{width}");
        var bad = Array.FindIndex(labels, l => l < 0 || l >= classNames.Count);
        if (bad >= 0) throw new ArgumentException($"label {labels[bad]} of sample {bad} is outside 0..{classNames.Count - 1}");
        (this.pixels, this.labels, this.transform) = (pixels, labels, transform);
        (sourceChannels, sourceHeight, sourceWidth) = (channels, height, width);
        ClassNames = classNames;
        Channels = channels;
        Height = outputHeight ?? height;
        Width = outputWidth ?? width;
    }

    public int Count => labels.Length;
    public IReadOnlyList<string> ClassNames { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int LabelOf(int index) => labels[index];

    /// <summary>The first <paramref name="count"/> samples, sharing nothing with this one.</summary>
    public InMemoryImageDataset Take(int count, IImageTransform? otherTransform = null)
    {
        count = Math.Min(count, Count);
        var size = sourceChannels * sourceHeight * sourceWidth;
        return new InMemoryImageDataset(pixels[..(count * size)], labels[..count], sourceChannels, sourceHeight, sourceWidth,
            ClassNames, otherTransform ?? transform, Height, Width);
    }

    public void Load(int index, SplitMix64 random, Span<float> destination)
    {
        var size = sourceChannels * sourceHeight * sourceWidth;
        var image = new ImageBuffer(sourceChannels, sourceHeight, sourceWidth);
        var source = pixels.AsSpan(index * size, size);
        for (var i = 0; i < size; i++) image.Data[i] = source[i] * (1f / 255f);
        image = transform.Apply(image, random);
        image.Data.AsSpan().CopyTo(destination);
    }
}
