using System.Runtime.InteropServices;
using Dsl.Runtime.Native;

namespace Dsl.Runtime;

/// <summary>
/// A handle to a libtorch tensor. Its native memory is released by <see cref="Dispose"/> or by the
/// <see cref="TensorScope"/> it was made in; the finalizer is only a safety net.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private IntPtr handle;

    /// <summary>The scope that disposes this tensor, if any.</summary>
    internal TensorScope? Scope;

    internal Tensor(IntPtr handle)
    {
        this.handle = Check.Handle(handle);
        TensorScope.Current?.Track(this);
    }

    ~Tensor()
    {
        if (handle != IntPtr.Zero) NativeMethods.dsl_tensor_free(handle);
    }

    // Native calls take raw handles, so nothing tells the GC that a tensor is in use while libtorch works
    // on it: a temporary with no other reference (a.Mul(2).Add(1)) could be finalized, and its native
    // tensor freed, in the middle of the call. Each handle read therefore parks its tensor in a small
    // per-thread ring, which keeps a call's operands reachable until this thread has made later reads.
    private const int RecentOperandCount = 16;
    [ThreadStatic] private static Tensor?[]? recentOperands;
    [ThreadStatic] private static int recentOperandIndex;

    internal IntPtr Handle
    {
        get
        {
            if (handle == IntPtr.Zero) throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed");
            var ring = recentOperands ??= new Tensor?[RecentOperandCount];
            ring[recentOperandIndex] = this;
            recentOperandIndex = (recentOperandIndex + 1) % RecentOperandCount;
            return handle;
        }
    }

    public bool IsDisposed => handle == IntPtr.Zero;

    public void Dispose()
    {
        if (handle == IntPtr.Zero) return;
        NativeMethods.dsl_tensor_free(handle);
        handle = IntPtr.Zero;
        Scope = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Points this object at another native tensor and frees the old one, so that modules can move
    /// or re-layout their parameters while every reference to the parameter stays valid.
    /// </summary>
    internal void ReplaceWith(Tensor replacement)
    {
        var next = replacement.Handle;
        replacement.handle = IntPtr.Zero;
        replacement.Scope = null;
        GC.SuppressFinalize(replacement);
        NativeMethods.dsl_tensor_free(Handle);
        handle = next;
    }

    // ---- creation ----

    public static unsafe Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        var dtype = DTypeOf<T>();
        var count = Numel(shape);
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] holds {count} elements but {data.Length} were given");
        var target = Available(device);
        fixed (T* pointer = data)
        fixed (long* dims = shape)
            return new Tensor(NativeMethods.dsl_tensor_from_data(pointer, (int)dtype, dims, shape.Length, (int)target.Type, target.Index));
    }

    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged =>
        FromArray<T>(data.AsSpan(), shape.AsSpan());

    /// <summary>Builds a tensor of any element type from raw little-endian bytes.</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, DType dtype, ReadOnlySpan<long> shape)
    {
        var expected = Numel(shape) * dtype.ElementSize();
        if (expected != bytes.Length)
            throw new ArgumentException($"{dtype} tensor of shape [{string.Join(", ", shape.ToArray())}] needs {expected} bytes, {bytes.Length} were given");
        fixed (byte* pointer = bytes)
        fixed (long* dims = shape)
            return new Tensor(NativeMethods.dsl_tensor_from_data(pointer, (int)dtype, dims, shape.Length, 0, -1));
    }

    public static unsafe Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var target = Available(device);
        fixed (long* dims = shape)
            return new Tensor(NativeMethods.dsl_tensor_full(dims, shape.Length, value, (int)dtype, (int)target.Type, target.Index));
    }

    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0, dtype, device);
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1, dtype, device);
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) => Full([], value, dtype, device);

    public static unsafe Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var target = Available(device);
        fixed (long* dims = shape)
            return new Tensor(NativeMethods.dsl_tensor_empty(dims, shape.Length, (int)dtype, (int)target.Type, target.Index));
    }

    /// <summary>Uniform [0, 1) values from libtorch's generator (seed it with <see cref="Torch.ManualSeed"/>).</summary>
    public static unsafe Tensor Rand(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var target = Available(device);
        fixed (long* dims = shape)
            return new Tensor(NativeMethods.dsl_tensor_rand(dims, shape.Length, 0, (int)dtype, (int)target.Type, target.Index));
    }

    /// <summary>Standard normal values from libtorch's generator.</summary>
    public static unsafe Tensor Randn(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var target = Available(device);
        fixed (long* dims = shape)
            return new Tensor(NativeMethods.dsl_tensor_rand(dims, shape.Length, 1, (int)dtype, (int)target.Type, target.Index));
    }

    public static Tensor RandPerm(long n) => new(NativeMethods.dsl_tensor_randperm(n));

    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var target = Available(device);
        return new Tensor(NativeMethods.dsl_tensor_arange(start, end, step, (int)dtype, (int)target.Type, target.Index));
    }

    /// <summary>The requested device (CPU by default), checked before libtorch sees it so a missing GPU is a clear error.</summary>
    private static Device Available(Device? device)
    {
        var target = device ?? Device.Cpu;
        target.EnsureAvailable();
        return target;
    }

    // ---- metadata ----

    public int Dim => NativeMethods.dsl_tensor_dim(Handle);

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            fixed (long* pointer = shape) NativeMethods.dsl_tensor_shape(Handle, pointer);
            return shape;
        }
    }

    public unsafe long[] Strides
    {
        get
        {
            var strides = new long[Dim];
            fixed (long* pointer = strides) Check.Status(NativeMethods.dsl_tensor_strides(Handle, pointer));
            return strides;
        }
    }

    public long Size(int dim) => Shape[dim < 0 ? dim + Dim : dim];
    public long NumElements => Numel(Shape);
    public long StorageOffset => NativeMethods.dsl_tensor_storage_offset(Handle);
    public DType DType => (DType)NativeMethods.dsl_tensor_dtype(Handle);
    public Device Device => new((DeviceType)NativeMethods.dsl_tensor_device_type(Handle), NativeMethods.dsl_tensor_device_index(Handle));
    public bool IsContiguous => NativeMethods.dsl_tensor_is_contiguous(Handle, 0) != 0;
    public bool IsChannelsLast => NativeMethods.dsl_tensor_is_contiguous(Handle, 1) != 0;

    public bool RequiresGrad
    {
        get => NativeMethods.dsl_tensor_requires_grad(Handle) != 0;
        set => Check.Status(NativeMethods.dsl_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    // ---- data out ----

    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        if (DTypeOf<T>() != DType)
            throw new InvalidOperationException($"tensor is {DType}, cannot copy it into {typeof(T).Name}");
        fixed (T* pointer = destination)
            Check.Status(NativeMethods.dsl_tensor_copy_to(Handle, pointer, (long)destination.Length * sizeof(T)));
    }

    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[NumElements];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The elements as raw bytes in row-major order (any element type).</summary>
    public unsafe byte[] ToBytes()
    {
        var result = new byte[NumElements * DType.ElementSize()];
        fixed (byte* pointer = result)
            Check.Status(NativeMethods.dsl_tensor_copy_to(Handle, pointer, result.Length));
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        Check.Status(NativeMethods.dsl_tensor_item(Handle, out var value));
        return value;
    }

    // ---- conversion and copies ----

    public Tensor To(DType dtype) => new(NativeMethods.dsl_tensor_to(Handle, (int)dtype, (int)Device.Type, Device.Index));
    public Tensor To(Device device) { device.EnsureAvailable(); return new(NativeMethods.dsl_tensor_to(Handle, (int)DType, (int)device.Type, device.Index)); }
    public Tensor Contiguous() => new(NativeMethods.dsl_tensor_contiguous(Handle, 0));
    public Tensor ToChannelsLast() => new(NativeMethods.dsl_tensor_contiguous(Handle, 1));
    public Tensor Clone() => new(NativeMethods.dsl_tensor_clone(Handle));
    public Tensor Detach() => new(NativeMethods.dsl_tensor_detach(Handle));

    /// <summary>A second handle to the same tensor (shares storage and autograd identity).</summary>
    public Tensor Alias() => new(NativeMethods.dsl_tensor_alias(Handle));

    public Tensor CopyFrom(Tensor source) { Check.Status(NativeMethods.dsl_tensor_copy_(Handle, source.Handle)); return this; }
    public Tensor Fill(double value) { Check.Status(NativeMethods.dsl_tensor_fill_(Handle, value)); return this; }
    public Tensor NormalInPlace(double mean, double std) { Check.Status(NativeMethods.dsl_tensor_normal_(Handle, mean, std)); return this; }
    public Tensor UniformInPlace(double low, double high) { Check.Status(NativeMethods.dsl_tensor_uniform_(Handle, low, high)); return this; }

    // ---- autograd ----

    /// <summary>The accumulated gradient, or null when none was computed. The caller owns the returned handle.</summary>
    public Tensor? Grad
    {
        get
        {
            Check.Status(NativeMethods.dsl_tensor_grad(Handle, out var gradient));
            return gradient == IntPtr.Zero ? null : new Tensor(gradient);
        }
        set => Check.Status(NativeMethods.dsl_tensor_set_grad(Handle, value?.Handle ?? IntPtr.Zero));
    }

    /// <summary>Drops the gradient (PyTorch's zero_grad with set_to_none).</summary>
    public void ClearGrad() => Check.Status(NativeMethods.dsl_tensor_clear_grad(Handle));

    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        Check.Status(NativeMethods.dsl_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retainGraph ? 1 : 0));

    // ---- helpers ----

    internal static long Numel(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape) count = checked(count * dim);
        return count;
    }

    internal static DType DTypeOf<T>() => typeof(T) switch
    {
        var t when t == typeof(float) => DType.Float32,
        var t when t == typeof(double) => DType.Float64,
        var t when t == typeof(long) => DType.Int64,
        var t when t == typeof(int) => DType.Int32,
        var t when t == typeof(bool) => DType.Bool,
        var t when t == typeof(byte) => DType.UInt8,
        var t when t == typeof(Half) => DType.Float16,
        _ => throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type"),
    };

    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor({DType}, [{string.Join(", ", Shape)}], {Device})";
}
