using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// nn.Sequential with typed children: blocks registered as "0", "1", ... (the original state-dict keys),
/// applied in order, and indexable as their own type (<c>model.Layer1.Big[0].Conv2</c>).
/// </summary>
public sealed class BlockSequence<T> : nn.Module<Tensor, Tensor>, IReadOnlyList<T> where T : nn.Module<Tensor, Tensor>
{
    private readonly T[] blocks;

    public BlockSequence(params T[] blocks) : base(nameof(BlockSequence<T>))
    {
        this.blocks = blocks;
        for (var i = 0; i < blocks.Length; i++) register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), blocks[i]);
    }

    public T this[int index] => blocks[index];
    public int Count => blocks.Length;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)blocks).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => blocks.GetEnumerator();

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var block in blocks)
        {
            var next = block.call(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = next;
        }
        return x;
    }

    /// <summary>Children are registered by index in the constructor.</summary>
    protected override void RegisterComponents() { }
}

/// <summary>What a <see cref="BlockSequence{T}"/> of blocks with inference twins offers.</summary>
public static class BlockSequence
{
    /// <summary>Each block of <paramref name="blocks"/> in inference form, in order, under the same keys.</summary>
    public static BlockSequence<TTwin> ForInference<TTwin>(this IReadOnlyList<IHasInferenceTwin<TTwin>> blocks, InferenceLayout layout)
        where TTwin : nn.Module<Tensor, Tensor> =>
        new([.. blocks.Select(b => b.ForInference(layout))]);
}
