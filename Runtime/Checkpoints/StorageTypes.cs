namespace Dsl.Runtime.Checkpoints;

/// <summary>PyTorch's legacy typed-storage class names (torch.FloatStorage, ...) and the element types they hold.</summary>
internal static class StorageTypes
{
    private static readonly (string Name, DType DType)[] Table =
    [
        ("FloatStorage", DType.Float32),
        ("DoubleStorage", DType.Float64),
        ("HalfStorage", DType.Float16),
        ("BFloat16Storage", DType.BFloat16),
        ("LongStorage", DType.Int64),
        ("IntStorage", DType.Int32),
        ("ShortStorage", DType.Int16),
        ("CharStorage", DType.Int8),
        ("ByteStorage", DType.UInt8),
        ("BoolStorage", DType.Bool),
    ];

    public static bool TryGetDType(PickleGlobal type, out DType dtype)
    {
        foreach (var (name, value) in Table)
            if (type.Module == "torch" && type.Name == name)
            {
                dtype = value;
                return true;
            }
        dtype = default;
        return false;
    }

    public static PickleGlobal For(DType dtype)
    {
        foreach (var (name, value) in Table)
            if (value == dtype) return new PickleGlobal("torch", name);
        throw new NotSupportedException($"{dtype} tensors have no PyTorch storage type");
    }
}
