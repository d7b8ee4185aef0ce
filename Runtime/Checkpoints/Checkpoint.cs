namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A torch.save file read without Python: <see cref="Root"/> is the unpickled object as plain values
/// (<see cref="PickleDict"/>, <c>List&lt;object?&gt;</c>, <c>object?[]</c> tuples, string, long, double, bool,
/// null, <see cref="Tensor"/>). The checkpoint owns every tensor it read (they belong to no dispose scope):
/// disposing it frees them.
/// </summary>
/// <remarks>
/// TorchSharp.PyBridge also reads torch.save files, but its unpickler turns unknown globals into placeholder
/// objects instead of refusing them and its errors do not name the file, so this reader stays our own.
/// </remarks>
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

    /// <summary>Reads a torch.save zip file; nothing in it is executed, and every error is a <see cref="CheckpointException"/>.</summary>
    public static Checkpoint Read(string path)
    {
        var (root, tensors) = TorchArchiveReader.Read(path);
        return new Checkpoint(path, root, tensors);
    }

    /// <summary>A top-level entry of a checkpoint that is a dict, or null when it is absent.</summary>
    public object? this[string key] => Root is PickleDict dict && dict.TryGetValue(key, out var value) ? value : null;

    /// <summary>
    /// The model weights: the <c>state_dict</c> entry of a training checkpoint, or the whole file when it is
    /// a bare state dict. A DataParallel <c>module.</c> prefix is removed from every key. The tensors stay
    /// owned by this checkpoint.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict()
    {
        if (Root is not PickleDict top)
            throw new CheckpointException(FilePath, $"holds {PickleFormat.Describe(Root)}, not a state dict or a training checkpoint");
        return top.ContainsKey("state_dict") ? NamedStateDict("state_dict")! : Entries(top, "");
    }

    /// <summary>
    /// The state dict under a top-level entry of the file (<c>state_dict</c>, <c>ema_state_dict</c>), or null when the
    /// file has no such entry; keys as <see cref="StateDict"/> gives them. The tensors stay owned by this checkpoint.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>>? NamedStateDict(string entry)
    {
        if (Root is not PickleDict top || !top.TryGetValue(entry, out var nested)) return null;
        return Entries(nested as PickleDict ?? throw new CheckpointException(FilePath, $"'{entry}' is {PickleFormat.Describe(nested)}, not a dict"),
            entry);
    }

    // The entries of a state dict; entry is the top-level key it was under ("" for a bare state dict, the whole file).
    private List<KeyValuePair<string, Tensor>> Entries(PickleDict source, string entry)
    {
        var entries = new List<KeyValuePair<string, Tensor>>(source.Count);
        foreach (var (key, value) in source)
        {
            if (key is not string name)
                throw new CheckpointException(FilePath, $"state dict key {PickleFormat.Describe(key)} is not a string");
            if (value is not Tensor tensor)
                throw new CheckpointException(FilePath, entry == ""
                    ? $"has no 'state_dict' entry and is not a state dict itself ('{name}' is {PickleFormat.Describe(value)})"
                    : $"{(entry == "state_dict" ? "state dict" : $"'{entry}'")} entry '{name}' is {PickleFormat.Describe(value)}, not a tensor");
            entries.Add(new(name.StartsWith(DataParallelPrefix, StringComparison.Ordinal) ? name[DataParallelPrefix.Length..] : name, tensor));
        }
        return entries;
    }

    /// <summary>
    /// Loads a checkpoint's weights into a model (see <see cref="StateDictLoader.Load"/>). Strict loading throws
    /// <see cref="StateDictMismatchException"/> naming the file and listing every missing, unexpected and
    /// mis-shaped key; non-strict loading copies what matches (for example everything but a classifier with
    /// another class count) and reports the rest.
    /// </summary>
    public static LoadReport LoadInto(nn.Module model, string path, bool strict = true)
    {
        using var checkpoint = Read(path);
        return StateDictLoader.Load(model, checkpoint.StateDict(), strict, path);
    }

    /// <summary>
    /// Writes plain values (see <see cref="Root"/> for the types) in torch.save's format, atomically:
    /// the previous file stays intact if writing fails. The tensors are only read.
    /// </summary>
    public static void Save(string path, object? root) =>
        AtomicFile.Write(path, stream => TorchArchiveWriter.Write(stream, root));

    /// <summary>Writes a bare state dict (an OrderedDict of tensors), as a released weights file is.</summary>
    public static void SaveStateDict(string path, IEnumerable<KeyValuePair<string, Tensor>> entries) =>
        Save(path, ToOrderedDict(entries));

    /// <summary>Writes a module's state dict as a bare state dict, in PyTorch's key order.</summary>
    public static void SaveStateDict(string path, nn.Module model) => SaveStateDict(path, PyTorchStateDict.Of(model));

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
