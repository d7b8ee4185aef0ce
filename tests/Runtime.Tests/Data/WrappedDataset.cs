using Dsl.Runtime.Data;

namespace Dsl.Runtime.Tests.Data;

/// <summary>Another data set's samples, with <see cref="Load"/> open to change (to fail or to allocate, say).</summary>
public abstract class WrappedDataset(IImageDataset inner) : IImageDataset
{
    public int Count => inner.Count;
    public IReadOnlyList<string> ClassNames => inner.ClassNames;
    public int Channels => inner.Channels;
    public int Height => inner.Height;
    public int Width => inner.Width;
    public int LabelOf(int index) => inner.LabelOf(index);

    public virtual void Load(int index, SplitMix64 random, Span<float> destination) => inner.Load(index, random, destination);
}
