namespace Dsl.Runtime.Parity;

/// <summary>
/// The deterministic weight and input rule the reference figures were made with, so that a model's
/// output can be compared with the original PyTorch code without sharing any weight files.
/// </summary>
public static class ReferenceFill
{
    private const ulong FnvOffsetBasis = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x100000001B3UL;
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// n values in [-1, 1) derived from the name alone (FNV-1a seed, splitmix64-style mixing). The mixing is written
    /// out here rather than shared with the data shuffler because it is a contract with the Python reference code.
    /// </summary>
    public static double[] Uniform(string name, int n)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var seed = FnvOffsetBasis;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
            seed = unchecked((seed ^ b) * FnvPrime);

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var z = unchecked(seed + (ulong)(i + 1) * Golden);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            values[i] = (z >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
        }
        return values;
    }

    /// <summary>The value every element of one state-dict entry gets, computed in double precision.</summary>
    public static double[] ValuesFor(string key, long[] shape)
    {
        var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        if (key.EndsWith("running_mean", StringComparison.Ordinal)) return new double[count];
        var u = Uniform(key, count);
        if (key.EndsWith("running_var", StringComparison.Ordinal)) return Map(u, x => 1 + 0.25 * (x + 1));
        var isWeight = key.EndsWith("weight", StringComparison.Ordinal);
        if (isWeight && shape.Length == 4)
        {
            var bound = Math.Sqrt(6.0 / (shape[1] * shape[2] * shape[3]));
            return Map(u, x => x * bound);
        }
        if (isWeight && shape.Length == 2)
        {
            var bound = Math.Sqrt(3.0 / shape[1]);
            return Map(u, x => x * bound);
        }
        if (key.EndsWith("bias", StringComparison.Ordinal)) return Map(u, x => 0.01 * x);
        if (isWeight && shape.Length == 1) return Map(u, x => 0.5 + 0.25 * x);
        throw new ArgumentException($"the reference fill rule has no entry for '{key}' with shape [{string.Join(", ", shape)}]");
    }

    /// <summary>
    /// Overwrites every parameter and buffer of the model by the rule (num_batches_tracked is left as it is).
    /// Values are computed in double and then cast to each tensor's own element type.
    /// </summary>
    public static void Fill(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = torch.no_grad();
        foreach (var (key, tensor) in model.state_dict())
        {
            if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            using var values = torch.tensor(ValuesFor(key, tensor.shape), tensor.shape, ScalarType.Float64);
            tensor.copy_(values);
        }
    }

    /// <summary>A float32 input of the given shape holding <c>Uniform("input", n)</c> in row-major order; the caller owns it.</summary>
    public static Tensor Input(params long[] shape)
    {
        var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        var values = Uniform("input", count);
        var single = new float[count];
        for (var i = 0; i < count; i++) single[i] = (float)values[i];
        return torch.tensor(single, shape);
    }

    private static double[] Map(double[] values, Func<double, double> f)
    {
        for (var i = 0; i < values.Length; i++) values[i] = f(values[i]);
        return values;
    }
}
