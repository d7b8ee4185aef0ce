namespace Dsl.Runtime.Tests.Support;

/// <summary>Deterministic test inputs that do not depend on libtorch's generator.</summary>
internal static class TestData
{
    public static double[] Uniform(int seed, int count, double low = -1, double high = 1)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = low + (high - low) * random.NextDouble();
        return values;
    }

    public static float[] UniformSingle(int seed, int count, double low = -1, double high = 1) =>
        Uniform(seed, count, low, high).Select(v => (float)v).ToArray();

    public static int Count(params long[] shape) => (int)shape.Aggregate(1L, (a, b) => a * b);
}
