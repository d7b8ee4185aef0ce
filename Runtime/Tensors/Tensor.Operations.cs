using Dsl.Runtime.Native;

namespace Dsl.Runtime;

// Elementwise arithmetic, reductions and shape manipulation.
public sealed partial class Tensor
{
    private enum BinaryOp { Add = 0, Sub = 1, Mul = 2, Div = 3, Eq = 4, Maximum = 5, Minimum = 6, Pow = 7, Gt = 8, Lt = 9 }
    private enum UnaryOp { Relu = 0, Sigmoid = 1, Neg = 2, Exp = 3, Log = 4, Sqrt = 5, Abs = 6, Tanh = 7, Sign = 8 }

    private Tensor Binary(BinaryOp op, Tensor other) => new(NativeMethods.dsl_binary((int)op, Handle, other.Handle));
    private Tensor Binary(BinaryOp op, double scalar) => new(NativeMethods.dsl_binary_scalar((int)op, Handle, scalar));
    private Tensor BinaryInPlace(BinaryOp op, Tensor other) { Check.Status(NativeMethods.dsl_binary_((int)op, Handle, other.Handle)); return this; }
    private Tensor BinaryInPlace(BinaryOp op, double scalar) { Check.Status(NativeMethods.dsl_binary_scalar_((int)op, Handle, scalar)); return this; }
    private Tensor Unary(UnaryOp op) => new(NativeMethods.dsl_unary((int)op, Handle));
    private Tensor UnaryInPlace(UnaryOp op) { Check.Status(NativeMethods.dsl_unary_((int)op, Handle)); return this; }

    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, other);
    public Tensor Add(double scalar) => Binary(BinaryOp.Add, scalar);
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);
    public Tensor Sub(double scalar) => Binary(BinaryOp.Sub, scalar);
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    public Tensor Mul(double scalar) => Binary(BinaryOp.Mul, scalar);
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    public Tensor Div(double scalar) => Binary(BinaryOp.Div, scalar);
    public Tensor Pow(double exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    public Tensor Gt(double scalar) => Binary(BinaryOp.Gt, scalar);
    public Tensor Lt(double scalar) => Binary(BinaryOp.Lt, scalar);
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);

    public Tensor AddInPlace(Tensor other) => BinaryInPlace(BinaryOp.Add, other);
    public Tensor AddInPlace(double scalar) => BinaryInPlace(BinaryOp.Add, scalar);
    public Tensor SubInPlace(Tensor other) => BinaryInPlace(BinaryOp.Sub, other);
    public Tensor MulInPlace(Tensor other) => BinaryInPlace(BinaryOp.Mul, other);
    public Tensor MulInPlace(double scalar) => BinaryInPlace(BinaryOp.Mul, scalar);
    public Tensor DivInPlace(Tensor other) => BinaryInPlace(BinaryOp.Div, other);
    public Tensor DivInPlace(double scalar) => BinaryInPlace(BinaryOp.Div, scalar);

    /// <summary>this += alpha * other, in place.</summary>
    public Tensor AddScaledInPlace(Tensor other, double alpha)
    {
        Check.Status(NativeMethods.dsl_add_scaled_(Handle, other.Handle, alpha));
        return this;
    }

    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor ReluInPlace() => UnaryInPlace(UnaryOp.Relu);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Clamp(double low, double high) => new(NativeMethods.dsl_clamp(Handle, low, high));

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();

    // ---- reductions ----

    public unsafe Tensor Sum(params long[] dims) => Sum(dims, keepDim: false);
    public unsafe Tensor Sum(long[] dims, bool keepDim)
    {
        fixed (long* pointer = dims) return new(NativeMethods.dsl_sum(Handle, pointer, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor Mean(params long[] dims) => Mean(dims, keepDim: false);
    public unsafe Tensor Mean(long[] dims, bool keepDim)
    {
        fixed (long* pointer = dims) return new(NativeMethods.dsl_mean(Handle, pointer, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor Norm(double p = 2) => new(NativeMethods.dsl_norm(Handle, p));
    public Tensor Max() => new(NativeMethods.dsl_max_all(Handle));
    public Tensor ArgMax(long dim, bool keepDim = false) => new(NativeMethods.dsl_argmax(Handle, dim, keepDim ? 1 : 0));

    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        Check.Status(NativeMethods.dsl_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var values, out var indices));
        return (new Tensor(values), new Tensor(indices));
    }

    // ---- shape ----

    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* pointer = shape) return new(NativeMethods.dsl_view(Handle, pointer, shape.Length));
    }

    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* pointer = shape) return new(NativeMethods.dsl_reshape(Handle, pointer, shape.Length));
    }

    public Tensor Flatten(long startDim = 0, long endDim = -1) => new(NativeMethods.dsl_flatten(Handle, startDim, endDim));

    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* pointer = dims) return new(NativeMethods.dsl_permute(Handle, pointer, dims.Length));
    }

    public Tensor Transpose(long a, long b) => new(NativeMethods.dsl_transpose(Handle, a, b));
    public Tensor Unsqueeze(long dim) => new(NativeMethods.dsl_unsqueeze(Handle, dim));
    public Tensor Squeeze(long dim) => new(NativeMethods.dsl_squeeze(Handle, dim));
    public Tensor Narrow(long dim, long start, long length) => new(NativeMethods.dsl_narrow(Handle, dim, start, length));
    public Tensor IndexSelect(long dim, Tensor index) => new(NativeMethods.dsl_index_select(Handle, dim, index.Handle));

    public unsafe Tensor AsStrided(long[] shape, long[] strides, long storageOffset)
    {
        if (shape.Length != strides.Length) throw new ArgumentException("shape and strides differ in length");
        fixed (long* s = shape)
        fixed (long* t = strides)
            return new(NativeMethods.dsl_as_strided(Handle, s, t, shape.Length, storageOffset));
    }

    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        Tensor result;
        fixed (IntPtr* pointer = handles) result = new(NativeMethods.dsl_cat(pointer, handles.Length, dim));
        GC.KeepAlive(tensors);   // more operands than the recent-operand ring holds
        return result;
    }

    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        Tensor result;
        fixed (IntPtr* pointer = handles) result = new(NativeMethods.dsl_stack(pointer, handles.Length, dim));
        GC.KeepAlive(tensors);
        return result;
    }

    public static Tensor Where(Tensor condition, Tensor a, Tensor b) =>
        new(NativeMethods.dsl_where(condition.Handle, a.Handle, b.Handle));

    public Tensor MatMul(Tensor other) => new(NativeMethods.dsl_matmul(Handle, other.Handle));
}
