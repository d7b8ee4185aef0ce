namespace Dsl.Runtime.Checkpoints;

/// <summary>PyTorch's legacy typed-storage class names (torch.FloatStorage, ...) and the element types they hold.</summary>
internal static class StorageTypes
{
    private static readonly (string Name, ScalarType DType)[] Table =
    [
        ("FloatStorage", ScalarType.Float32),
        ("DoubleStorage", ScalarType.Float64),
        ("HalfStorage", ScalarType.Float16),
        ("BFloat16Storage", ScalarType.BFloat16),
        ("LongStorage", ScalarType.Int64),
        ("IntStorage", ScalarType.Int32),
        ("ShortStorage", ScalarType.Int16),
        ("CharStorage", ScalarType.Int8),
        ("ByteStorage", ScalarType.Byte),
        ("BoolStorage", ScalarType.Bool),
    ];

    public static bool TryGetDType(PickleGlobal type, out ScalarType dtype)
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

    public static PickleGlobal For(ScalarType dtype)
    {
        foreach (var (name, value) in Table)
            if (value == dtype) return new PickleGlobal("torch", name);
        throw new NotSupportedException($"{dtype} tensors have no PyTorch storage type");
    }
}
