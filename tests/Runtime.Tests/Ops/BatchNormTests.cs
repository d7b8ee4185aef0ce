using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Ops;

public class BatchNormTests
{
    private const double Eps = 1e-5;

    [Fact]
    public void RunningStatisticsFollowTwoTrainingSteps()
    {
        using var scope = new TensorScope();
        using var bn = new Nn.BatchNorm2d(3);
        long[] shape = [4, 3, 2, 5];
        var first = TestData.Uniform(30, TestData.Count(shape), -2, 3);
        var second = TestData.Uniform(31, TestData.Count(shape), 0, 1);

        double[] runningMean = [0, 0, 0], runningVar = [1, 1, 1];
        foreach (var batch in new[] { first, second })
        {
            var output = bn.Forward(Tensor.FromArray(batch, shape).To(DType.Float32));
            var (mean, biased, unbiased) = ChannelStatistics(batch, shape);
            // The training output is normalized with the biased variance of the batch.
            var expected = Map(batch, shape, (c, v) => (v - mean[c]) / Math.Sqrt(biased[c] + Eps));
            Expect.Close(expected, output, 1e-4);
            for (var c = 0; c < 3; c++)
            {
                runningMean[c] = 0.9 * runningMean[c] + 0.1 * mean[c];
                runningVar[c] = 0.9 * runningVar[c] + 0.1 * unbiased[c];
            }
        }

        Expect.Close(runningMean, bn.RunningMean, 1e-5);
        Expect.Close(runningVar, bn.RunningVar, 1e-5);
        Assert.Equal(2, bn.NumBatchesTracked.ToArray<long>().Single());
        Assert.Equal(DType.Int64, bn.NumBatchesTracked.DType);

        // Eval uses the running statistics and leaves them (and the counter) alone.
        bn.Eval();
        using (new NoGradScope())
        {
            bn.Weight.Fill(2);
            bn.Bias.Fill(0.5);
        }
        var evalInput = TestData.Uniform(32, TestData.Count(shape));
        var evalOutput = bn.Forward(Tensor.FromArray(evalInput, shape).To(DType.Float32));
        Expect.Close(Map(evalInput, shape, (c, v) => 2 * (v - runningMean[c]) / Math.Sqrt(runningVar[c] + Eps) + 0.5), evalOutput, 1e-4);
        Expect.Close(runningMean, bn.RunningMean, 1e-5);
        Assert.Equal(2, bn.NumBatchesTracked.ToArray<long>().Single());
    }

    [Fact]
    public void FunctionalBatchNormAppliesAffineParameters()
    {
        using var scope = new TensorScope();
        long[] shape = [3, 2, 3, 3];
        var x = TestData.Uniform(33, TestData.Count(shape));
        var weight = Tensor.FromArray(new double[] { 1.5, -0.5 }, 2);
        var bias = Tensor.FromArray(new double[] { 0.25, 1 }, 2);
        var output = Functional.BatchNorm(Tensor.FromArray(x, shape), null, null, weight, bias, training: true);
        var (mean, biased, _) = ChannelStatistics(x, shape);
        double[] w = [1.5, -0.5], b = [0.25, 1];
        Expect.Close(Map(x, shape, (c, v) => w[c] * (v - mean[c]) / Math.Sqrt(biased[c] + Eps) + b[c]), output.ToArray<double>(), 1e-10);
    }

    private static (double[] Mean, double[] Biased, double[] Unbiased) ChannelStatistics(double[] x, long[] shape)
    {
        var channels = (int)shape[1];
        var perChannel = Enumerable.Range(0, channels).Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < x.Length; i++) perChannel[ChannelOf(i, shape)].Add(x[i]);
        var mean = perChannel.Select(v => v.Average()).ToArray();
        var squares = perChannel.Select((v, c) => v.Sum(e => (e - mean[c]) * (e - mean[c]))).ToArray();
        return (mean, squares.Select((s, c) => s / perChannel[c].Count).ToArray(),
            squares.Select((s, c) => s / (perChannel[c].Count - 1)).ToArray());
    }

    private static double[] Map(double[] x, long[] shape, Func<int, double, double> f) =>
        x.Select((v, i) => f(ChannelOf(i, shape), v)).ToArray();

    private static int ChannelOf(int index, long[] shape) => (int)(index / (shape[2] * shape[3]) % shape[1]);
}
