using System.Text;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// The Python globals a PyTorch checkpoint may name, and what calling each of them builds. Anything not
/// listed here is refused when the pickle names it. Tensors are views of their storages, as in PyTorch, so
/// views sharing a storage or repeating its elements (stride 0) cost nothing beyond the storage the file holds;
/// the calls that copy (dicts and sets from lists, bytes from text, tensor headers) share an allowance in
/// proportion to the pickle's length, so memoized arguments cannot make a small file build a large value.
/// </summary>
internal sealed class PickleCalls(string filePath, long pickleLength, Func<string, ScalarType, long, TorchStorage> loadStorage)
{
    /// <summary>Items or bytes the calls may copy per byte of pickle; a real pickle spells out every one it copies.</summary>
    private const long CopiesPerPickleByte = 2;
    private const long CopiesForAnyPickle = 1 << 20;

    /// <summary>What a tensor's header (sizes, strides, libtorch's bookkeeping) counts against the allowance.</summary>
    private const long TensorCopyCost = 32;

    private const int MaxDimensions = 64;
    private const int MaxStorageKeyLength = 256;

    private static readonly PickleGlobal OrderedDict = TorchGlobals.OrderedDict;
    private static readonly PickleGlobal RebuildTensorV2 = TorchGlobals.RebuildTensorV2;
    private static readonly PickleGlobal RebuildTensor = new("torch._utils", "_rebuild_tensor");
    private static readonly PickleGlobal RebuildParameter = new("torch._utils", "_rebuild_parameter");
    private static readonly PickleGlobal RebuildParameterWithState = new("torch._utils", "_rebuild_parameter_with_state");
    private static readonly PickleGlobal RebuildFromTypeV2 = new("torch._tensor", "_rebuild_from_type_v2");
    private static readonly PickleGlobal TensorType = new("torch", "Tensor");
    private static readonly PickleGlobal ParameterType = new("torch.nn.parameter", "Parameter");
    private static readonly PickleGlobal CodecsEncode = new("_codecs", "encode");
    private static readonly PickleGlobal NumpyDTypeType = new("numpy", "dtype");

    private readonly Dictionary<string, TorchStorage> storages = [];
    private readonly List<Tensor> tensors = [];
    private long copiesLeft = pickleLength * CopiesPerPickleByte + CopiesForAnyPickle;

    /// <summary>Every tensor built so far; they belong to no dispose scope, and the caller disposes them.</summary>
    public IReadOnlyList<Tensor> Tensors => tensors;

    public IEnumerable<TorchStorage> Storages => storages.Values;

    public bool IsAllowed(PickleGlobal global) =>
        global == OrderedDict || global == RebuildTensorV2 || global == RebuildTensor || global == RebuildParameter
        || global == RebuildParameterWithState || global == RebuildFromTypeV2 || global == TensorType
        || global == ParameterType || global == CodecsEncode || IsSetType(global)
        || global == NumpyDTypeType || IsNumpyScalar(global)
        // Storage classes are only ever compared, never called; an unknown one is reported when it is used.
        || (global.Module == "torch" && global.Name.EndsWith("Storage", StringComparison.Ordinal));

    private static bool IsNumpyScalar(PickleGlobal global) =>
        global.Module is "numpy.core.multiarray" or "numpy._core.multiarray" && global.Name == "scalar";

    private static bool IsSetType(PickleGlobal global) =>
        global.Module is "builtins" or "__builtin__" && global.Name is "set" or "frozenset";

    /// <summary>Resolves a persistent id ('storage', storage_type, key, location, numel) to its storage.</summary>
    public object PersistentLoad(object? id, int at)
    {
        if (id is not object?[] { Length: 5 } fields || fields[0] is not "storage")
            throw Fail($"unknown persistent id {PickleFormat.Describe(id)}", at);
        if (fields[1] is not PickleGlobal type) throw Fail($"storage type {PickleFormat.Describe(fields[1])} is not a class", at);
        if (!StorageTypes.TryGetDType(type, out var dtype)) throw Fail($"unsupported storage type '{type}'", at);
        if (fields[2] is not string key) throw Fail($"storage key {PickleFormat.Describe(fields[2])} is not a string", at);
        if (key.Length > MaxStorageKeyLength) throw Fail($"storage key {PickleFormat.Describe(key)} is longer than {MaxStorageKeyLength} characters", at);
        if (fields[4] is not long count || count < 0) throw Fail($"storage '{key}' has an invalid size {PickleFormat.Describe(fields[4])}", at);

        if (storages.TryGetValue(key, out var known))
        {
            if (known.DType != dtype) throw Fail($"storage '{key}' is used both as {known.DType} and {dtype}", at);
            return known;
        }
        var storage = loadStorage(key, dtype, count);
        storages[key] = storage;
        return storage;
    }

    public object? Call(PickleGlobal global, object?[] args, int at)
    {
        if (global == OrderedDict) return NewOrderedDict(args, at);
        if (global == RebuildTensorV2 || global == RebuildTensor) return RebuildTensorView(args, at);
        if (global == RebuildParameter || global == RebuildParameterWithState)
            return args.Length >= 1 && args[0] is Tensor data ? data : throw Fail("_rebuild_parameter without a tensor", at);
        if (global == RebuildFromTypeV2) return RebuildFromType(args, at);
        if (IsSetType(global)) return NewSet(global, args, at);
        if (global == CodecsEncode) return Encode(args, at);
        if (global == NumpyDTypeType)
            return args is [string code, ..] ? new NumpyDType(code) : throw Fail($"unexpected numpy.dtype arguments {PickleFormat.Describe(args)}", at);
        if (IsNumpyScalar(global))
            return args is [NumpyDType dtype, byte[] raw] ? dtype.Decode(raw, problem => Fail(problem, at))
                : throw Fail($"unexpected numpy scalar arguments {PickleFormat.Describe(args)}", at);
        throw Fail($"'{global}' cannot be called", at);
    }

    /// <summary>Sets a dict item, refusing keys that Python could not hash or that would nest (see <see cref="PickleDict.IsKey"/>).</summary>
    public void SetItem(PickleDict dict, object? key, object? value, int at)
    {
        if (!PickleDict.IsKey(key))
            throw Fail($"dict key {PickleFormat.Describe(key)} is not None, a bool, a number, a string or a flat tuple of them", at);
        dict[key] = value;
    }

    /// <summary>Applies BUILD state; only numpy dtypes take one (their byte order) besides dicts.</summary>
    public void Build(object? target, object? state, int at)
    {
        if (target is NumpyDType dtype && state is object?[] { Length: >= 2 } fields && fields[1] is string order)
        {
            dtype.BigEndian = order == ">";
            return;
        }
        throw Fail($"cannot apply BUILD state to {PickleFormat.Describe(target)}", at);
    }

    private PickleDict NewOrderedDict(object?[] args, int at)
    {
        var dict = new PickleDict(ordered: true);
        if (args.Length == 0) return dict;
        if (args is [List<object?> pairs])
        {
            Charge(pairs.Count, "OrderedDict", at);
            foreach (var pair in pairs)
                if (pair is object?[] { Length: 2 } kv) SetItem(dict, kv[0], kv[1], at);
                else throw Fail("OrderedDict item is not a (key, value) pair", at);
            return dict;
        }
        throw Fail($"unexpected OrderedDict arguments {PickleFormat.Describe(args)}", at);
    }

    private Tensor RebuildTensorView(object?[] args, int at)
    {
        if (args.Length < 4 || args[0] is not TorchStorage storage || args[1] is not long offset
            || args[2] is not object?[] sizeItems || args[3] is not object?[] strideItems)
            throw Fail($"unexpected tensor arguments {PickleFormat.Describe(args)}", at);
        var shape = ToLongs(sizeItems, "size", at);
        var strides = ToLongs(strideItems, "stride", at);
        if (shape.Length != strides.Length) throw Fail($"tensor size has {shape.Length} dimensions, its stride {strides.Length}", at);
        if (shape.Length > MaxDimensions) throw Fail($"tensor has {shape.Length} dimensions, more than the {MaxDimensions} supported", at);
        if (offset < 0 || shape.Any(s => s < 0) || strides.Any(s => s < 0))
            throw Fail($"tensor has a negative offset, size or stride ({PickleFormat.Describe(args)})", at);

        var empty = shape.Any(s => s == 0);
        long last;
        try
        {
            last = checked(offset + shape.Zip(strides).Sum(p => checked((p.First - 1) * p.Second)));
        }
        catch (OverflowException)
        {
            throw Fail($"a tensor of size [{string.Join(", ", shape)}] and stride [{string.Join(", ", strides)}] is impossibly large", at);
        }
        if (!empty && last >= storage.ElementCount)
            throw Fail($"a tensor of size [{string.Join(", ", shape)}] at offset {offset} needs {last + 1} elements but storage '{storage.Key}' holds {storage.ElementCount}", at);

        Charge(TensorCopyCost, "tensor", at);
        var result = TensorFromFile.Build(filePath, $"a tensor of size [{string.Join(", ", shape)}] and stride [{string.Join(", ", strides)}] (pickle byte {at})",
            () => empty ? torch.zeros(shape, storage.DType) : storage.Flat.as_strided(shape, strides, offset));
        tensors.Add(result);
        return result;
    }

    private object? RebuildFromType(object?[] args, int at)
    {
        if (args.Length < 3 || args[0] is not PickleGlobal function || args[2] is not object?[] innerArgs)
            throw Fail($"unexpected _rebuild_from_type_v2 arguments {PickleFormat.Describe(args)}", at);
        if (args[1] is not PickleGlobal type || (type != TensorType && type != ParameterType))
            throw Fail($"tensor subclass {PickleFormat.Describe(args[1])} is not supported", at);
        // One level only: a file could otherwise nest these calls until the stack overflows.
        if (function == RebuildFromTypeV2) throw Fail("_rebuild_from_type_v2 rebuilds another _rebuild_from_type_v2", at);
        return Call(function, innerArgs, at);
    }

    private PickleSet NewSet(PickleGlobal global, object?[] args, int at)
    {
        var items = args switch
        {
            [] => [],
            [List<object?> list] => list,
            _ => throw Fail($"unexpected {global} arguments {PickleFormat.Describe(args)}", at),
        };
        Charge(items.Count, global.Name, at);
        return new PickleSet(items, global.Name == "frozenset");
    }

    // Protocol 2 writes Python bytes as _codecs.encode(text, 'latin1').
    private byte[] Encode(object?[] args, int at)
    {
        if (args is not [string text, "latin1" or "latin-1"]) throw Fail($"unexpected _codecs.encode arguments {PickleFormat.Describe(args)}", at);
        Charge(text.Length, "_codecs.encode", at);
        return Encoding.Latin1.GetBytes(text);
    }

    /// <summary>Counts items or bytes a call copies against the pickle's allowance.</summary>
    private void Charge(long count, string call, int at)
    {
        if (count > copiesLeft)
            throw Fail($"{call} would copy more items or bytes than a {pickleLength}-byte pickle can describe (its arguments are reused through the memo)", at);
        copiesLeft -= count;
    }

    private long[] ToLongs(object?[] items, string what, int at) =>
        items.Select(i => i is long value ? value : throw Fail($"tensor {what} holds a non-integer {PickleFormat.Describe(i)}", at)).ToArray();

    private CheckpointException Fail(string problem, int at) => new(filePath, $"{problem} (pickle byte {at})");
}
