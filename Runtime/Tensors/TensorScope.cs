namespace Dsl.Runtime;

/// <summary>
/// Disposes every tensor created on this thread while it is the innermost open scope.
/// <c>using var scope = new TensorScope();</c> around a step frees all its temporaries;
/// <see cref="MoveOut"/> hands a result to the enclosing scope (or to the caller when there is none).
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;

    private readonly TensorScope? parent;
    private readonly List<Tensor> tensors = [];
    private bool disposed;

    public TensorScope()
    {
        parent = current;
        current = this;
    }

    internal static TensorScope? Current => current;

    internal void Track(Tensor tensor)
    {
        tensor.Scope = this;
        tensors.Add(tensor);
    }

    /// <summary>Moves a tensor out of this scope into the enclosing one, so it survives this scope.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(tensor))]
    public Tensor? MoveOut(Tensor? tensor)
    {
        if (tensor is null) return tensor;
        if (tensor.Scope != this) return tensor;
        tensor.Scope = null;
        parent?.Track(tensor);
        return tensor;
    }

    /// <summary>Takes a tensor out of any scope: its owner must dispose it.</summary>
    public static Tensor Detach(Tensor tensor)
    {
        tensor.Scope = null;
        return tensor;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var tensor in tensors)
            if (tensor.Scope == this) tensor.Dispose();
        tensors.Clear();
        if (current == this) current = parent;
    }
}
