namespace Dsl.Runtime.Data;

/// <summary>Labelled images of one fixed output shape, loadable from any thread.</summary>
public interface IImageDataset
{
    int Count { get; }
    IReadOnlyList<string> ClassNames { get; }
    int Channels { get; }
    int Height { get; }
    int Width { get; }

    /// <summary>The class index of sample <paramref name="index"/>.</summary>
    int LabelOf(int index);

    /// <summary>
    /// Writes sample <paramref name="index"/> (C x H x W floats, transformed) into <paramref name="destination"/>,
    /// drawing its random augmentation from <paramref name="random"/>. Throws <see cref="CorruptImageException"/>
    /// for an unreadable file.
    /// </summary>
    void Load(int index, SplitMix64 random, Span<float> destination);
}
