using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A torch.save file read without Python: <see cref="Root"/> is the unpickled object as plain values
/// (<see cref="PickleDict"/>, <c>List&lt;object?&gt;</c>, <c>object?[]</c> tuples, string, long, double, bool,
/// null, <see cref="Tensor"/>). Disposing the checkpoint frees every tensor it read.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private const string DataParallelPrefix = "module.";

    private readonly IReadOnlyList<Tensor> tensors;

    private Checkpoint(string filePath, object? root, IReadOnlyList<Tensor> tensors)
    {
        FilePath = filePath;
        Root = root;
        this.tensors = tensors;
    }

    public string FilePath { get; }
    public object? Root { get; }

    /// <summary>Reads a torch.save zip file; the tensors are also tracked by the current <see cref="TensorScope"/>.</summary>
    public static Checkpoint Read(string path)
    {
        var (root, tensors) = TorchArchiveReader.Read(path);
        return new Checkpoint(path, root, tensors);
    }

    /// <summary>A top-level entry of a checkpoint that is a dict, or null when it is absent.</summary>
    public object? this[string key] => Root is PickleDict dict && dict.TryGetValue(key, out var value) ? value : null;

    /// <summary>
    /// The model weights: the <c>state_dict</c> entry of a training checkpoint, or the whole file when it is
    /// a bare state dict. A DataParallel <c>module.</c> prefix is removed from every key.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict()
    {
        if (Root is not PickleDict top)
            throw new CheckpointException(FilePath, $"holds {PickleFormat.Describe(Root)}, not a state dict or a training checkpoint");
        var source = top.TryGetValue("state_dict", out var nested) ? nested as PickleDict
            ?? throw new CheckpointException(FilePath, $"'state_dict' is {PickleFormat.Describe(nested)}, not a dict") : top;

        var entries = new List<KeyValuePair<string, Tensor>>(source.Count);
        foreach (var (key, value) in source)
        {
            if (key is not string name)
                throw new CheckpointException(FilePath, $"state dict key {PickleFormat.Describe(key)} is not a string");
            if (value is not Tensor tensor)
                throw new CheckpointException(FilePath, source == top && !top.ContainsKey("state_dict")
                    ? $"has no 'state_dict' entry and is not a state dict itself ('{name}' is {PickleFormat.Describe(value)})"
                    : $"state dict entry '{name}' is {PickleFormat.Describe(value)}, not a tensor");
            entries.Add(new(name.StartsWith(DataParallelPrefix, StringComparison.Ordinal) ? name[DataParallelPrefix.Length..] : name, tensor));
        }
        return entries;
    }

    /// <summary>
    /// Loads a checkpoint's weights into a model. Strict loading throws <see cref="StateDictMismatchException"/>
    /// listing every missing, unexpected and mis-shaped key; non-strict loading copies what matches
    /// (for example everything but a classifier with another class count) and reports the rest.
    /// </summary>
    public static LoadReport LoadInto(Module model, string path, bool strict = true)
    {
        using var scope = new TensorScope();
        using var checkpoint = Read(path);
        try
        {
            return model.LoadStateDict(checkpoint.StateDict(), strict);
        }
        catch (StateDictMismatchException e) when (e.FilePath is null)
        {
            throw new StateDictMismatchException(e.Report, path);
        }
    }

    /// <summary>
    /// Writes plain values (see <see cref="Root"/> for the types) in torch.save's format, atomically:
    /// the previous file stays intact if writing fails.
    /// </summary>
    public static void Save(string path, object? root) => Save(path, root, wrap: null);

    /// <summary>Writes a bare state dict (an OrderedDict of tensors), as a released weights file is.</summary>
    public static void SaveStateDict(string path, IEnumerable<KeyValuePair<string, Tensor>> entries) =>
        Save(path, ToOrderedDict(entries));

    internal static void Save(string path, object? root, Func<Stream, Stream>? wrap) =>
        AtomicFile.Write(path, stream => TorchArchiveWriter.Write(stream, root), wrap);

    internal static PickleDict ToOrderedDict(IEnumerable<KeyValuePair<string, Tensor>> entries)
    {
        var dict = new PickleDict(ordered: true);
        foreach (var (key, tensor) in entries) dict[key] = tensor;
        return dict;
    }

    public void Dispose()
    {
        foreach (var tensor in tensors) tensor.Dispose();
    }
}
