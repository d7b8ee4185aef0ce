namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// The tensors and string metadata of a .safetensors file. It owns the tensors (they belong to no dispose
/// scope): disposing it frees them.
/// </summary>
public sealed class SafeTensorsContent(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    : IDisposable
{
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors { get; } = tensors;
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    public void Dispose()
    {
        foreach (var (_, tensor) in Tensors) tensor.Dispose();
    }
}
