namespace Dsl.Runtime.Tests.Support;

/// <summary>An input of a gradient check: float64 values and their shape.</summary>
internal sealed record GradInput(double[] Values, long[] Shape)
{
    public static GradInput Random(int seed, params long[] shape) => new(TestData.Uniform(seed, TestData.Count(shape)), shape);
}

/// <summary>
/// Compares autograd's gradients with central finite differences in float64. The output is reduced to a
/// scalar by a fixed random projection, so every output element's gradient path is exercised.
/// </summary>
internal static class GradCheck
{
    private const double Step = 1e-6;

    public static void Verify(Func<Tensor[], Tensor> function, params GradInput[] inputs) =>
        Verify(function, 1e-5, inputs);

    public static void Verify(Func<Tensor[], Tensor> function, double tolerance, params GradInput[] inputs)
    {
        using var scope = new TensorScope();
        var leaves = inputs.Select(input =>
        {
            var leaf = Tensor.FromArray(input.Values, input.Shape);
            leaf.RequiresGrad = true;
            return leaf;
        }).ToArray();
        var output = function(leaves);
        Assert.Equal(DType.Float64, output.DType);
        var projection = Tensor.FromArray(TestData.Uniform(977, (int)output.NumElements, 0.5, 1.5), output.Shape);
        output.Mul(projection).Sum().Backward();

        for (var k = 0; k < inputs.Length; k++)
        {
            var grad = leaves[k].Grad ?? throw new Xunit.Sdk.XunitException($"input {k} received no gradient");
            var analytic = grad.ToArray<double>();
            var numeric = new double[inputs[k].Values.Length];
            for (var j = 0; j < numeric.Length; j++)
            {
                var plus = Evaluate(function, inputs, projection, k, j, Step);
                var minus = Evaluate(function, inputs, projection, k, j, -Step);
                numeric[j] = (plus - minus) / (2 * Step);
            }
            Expect.Close(numeric, analytic, tolerance, $"d/d input{k}");
        }
    }

    private static double Evaluate(Func<Tensor[], Tensor> function, GradInput[] inputs, Tensor projection, int k, int j, double delta)
    {
        using var scope = new TensorScope();
        using var noGrad = new NoGradScope();
        var tensors = inputs.Select((input, index) =>
        {
            var values = input.Values;
            if (index == k)
            {
                values = (double[])values.Clone();
                values[j] += delta;
            }
            return Tensor.FromArray(values, input.Shape);
        }).ToArray();
        return function(tensors).Mul(projection).Sum().Item();
    }
}
