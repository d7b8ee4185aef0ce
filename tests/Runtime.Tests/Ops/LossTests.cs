using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class LossTests
{
    private const int Rows = 4, Classes = 5;
    private static readonly long[] Targets = [3, 0, 4, 3];

    private static double[][] LogSoftmaxByHand(double[] logits) =>
        Enumerable.Range(0, Rows).Select(r =>
        {
            var row = logits.Skip(r * Classes).Take(Classes).ToArray();
            var max = row.Max();
            var logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            return row.Select(v => v - logSum).ToArray();
        }).ToArray();

    [Fact]
    public void LogSoftmaxSubtractsTheLogSumExp()
    {
        using var scope = new TensorScope();
        var logits = TestData.Uniform(50, Rows * Classes, -3, 3);
        var actual = Functional.LogSoftmax(Tensor.FromArray(logits, Rows, Classes), 1);
        Expect.Close(LogSoftmaxByHand(logits).SelectMany(r => r).ToArray(), actual.ToArray<double>(), 1e-12);
        var softmax = Functional.Softmax(Tensor.FromArray(logits, Rows, Classes), 1).Sum(1).ToArray<double>();
        Expect.Close([1, 1, 1, 1], softmax, 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void CrossEntropyMatchesTheSmoothedFormula(double smoothing)
    {
        using var scope = new TensorScope();
        var logits = TestData.Uniform(51, Rows * Classes, -3, 3);
        var logProbabilities = LogSoftmaxByHand(logits);
        // Each row: (1 - e) * -log p[target] + e / C * sum_c -log p[c].
        var perRow = logProbabilities.Select((row, r) =>
            (1 - smoothing) * -row[Targets[r]] + smoothing / Classes * row.Sum(v => -v)).ToArray();
        var x = Tensor.FromArray(logits, Rows, Classes);
        var target = Tensor.FromArray(Targets, Rows);

        var mean = Functional.CrossEntropy(x, target, Reduction.Mean, smoothing).Item();
        Assert.Equal(perRow.Average(), mean, 12);
        var sum = Functional.CrossEntropy(x, target, Reduction.Sum, smoothing).Item();
        Assert.Equal(perRow.Sum(), sum, 12);
        var none = Functional.CrossEntropy(x, target, Reduction.None, smoothing);
        Expect.Close(perRow, none.ToArray<double>(), 1e-12);
    }
}
