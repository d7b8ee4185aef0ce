namespace Dsl.Runtime.Tests.Support;

/// <summary>Element-wise comparisons with a tolerance, reporting the first differing index.</summary>
internal static class Expect
{
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance = 1e-6, string what = "value")
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var allowed = tolerance * Math.Max(1, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= allowed))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {allowed:G3})");
        }
    }

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double tolerance = 1e-5, string what = "value") =>
        Close(expected, actual.Select(v => (double)v).ToArray(), tolerance, what);

    public static void Close(IReadOnlyList<double> expected, Tensor actual, double tolerance = 1e-5, string what = "value") =>
        Close(expected, Values(actual), tolerance, what);

    /// <summary>The elements of a floating-point tensor as doubles, whatever its precision.</summary>
    public static double[] Values(Tensor tensor)
    {
        using var asDouble = tensor.To(DType.Float64);
        return asDouble.ToArray<double>();
    }
}
