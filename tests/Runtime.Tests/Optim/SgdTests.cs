using Dsl.Runtime.Optim;
using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Optim;

public class SgdTests
{
    private static readonly double[] Start = [0.5, -1.25, 2, 0.75];
    private static readonly double[] Curvature = [1, 3, 0.5, 2];     // loss_t = Σ c·(t+1)·p² / 2, grad = c·(t+1)·p
    private static readonly double[] LearningRates = [0.1, 0.05, 0.02];

    /// <summary>torch.optim.SGD's update written out in doubles.</summary>
    private static (double[] Parameters, double[] Buffer) ByHand(double momentum, double weightDecay, bool nesterov, double dampening)
    {
        var p = (double[])Start.Clone();
        var buffer = new double[p.Length];
        for (var step = 0; step < 3; step++)
        for (var i = 0; i < p.Length; i++)
        {
            var d = Curvature[i] * (step + 1) * p[i] + weightDecay * p[i];
            if (momentum != 0)
            {
                buffer[i] = step == 0 ? d : momentum * buffer[i] + (1 - dampening) * d;
                d = nesterov ? d + momentum * buffer[i] : buffer[i];
            }
            p[i] -= LearningRates[step] * d;
        }
        return (p, buffer);
    }

    private static Tensor Run(Sgd sgd, Tensor parameter, int fromStep, int toStep)
    {
        using var scope = new TensorScope();
        var curvature = Tensor.FromArray(Curvature, Curvature.Length);
        for (var step = fromStep; step < toStep; step++)
        {
            sgd.LearningRate = LearningRates[step];
            sgd.ZeroGrad();
            parameter.Pow(2).Mul(curvature).Mul(step + 1).Sum().Div(2).Backward();
            sgd.Step();
        }
        return parameter;
    }

    private static Tensor NewParameter()
    {
        var parameter = TensorScope.Detach(Tensor.FromArray(Start, Start.Length));
        parameter.RequiresGrad = true;
        return parameter;
    }

    [Theory]
    [InlineData(0.9, 5e-4, true, 0.0)]
    [InlineData(0.9, 1e-4, false, 0.0)]
    [InlineData(0.9, 0.0, false, 0.0)]
    [InlineData(0.8, 1e-3, false, 0.25)]
    [InlineData(0.0, 1e-2, false, 0.0)]
    [InlineData(0.0, 0.0, false, 0.0)]
    public void ThreeStepsMatchTheClosedFormUpdate(double momentum, double weightDecay, bool nesterov, double dampening)
    {
        using var parameter = NewParameter();
        using var sgd = new Sgd([parameter], LearningRates[0], momentum, weightDecay, nesterov, dampening);
        Run(sgd, parameter, 0, 3);
        var (expected, buffer) = ByHand(momentum, weightDecay, nesterov, dampening);
        Expect.Close(expected, parameter.ToArray<double>(), 1e-13);
        if (momentum != 0) Expect.Close(buffer, sgd.MomentumBuffers[0]!.ToArray<double>(), 1e-13);
        else Assert.Null(sgd.MomentumBuffers[0]);
    }

    [Fact]
    public void RestoredMomentumBuffersContinueTheSameTrajectory()
    {
        using var parameter = NewParameter();
        using var first = new Sgd([parameter], LearningRates[0], 0.9, 5e-4, nesterov: true);
        Run(first, parameter, 0, 2);
        using var second = new Sgd([parameter], LearningRates[0], 0.9, 5e-4, nesterov: true);
        second.LoadMomentumBuffers(first.MomentumBuffers);
        Assert.NotSame(first.MomentumBuffers[0], second.MomentumBuffers[0]);
        Run(second, parameter, 2, 3);
        Expect.Close(ByHand(0.9, 5e-4, true, 0).Parameters, parameter.ToArray<double>(), 1e-13);
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        using var used = NewParameter();
        using var unused = NewParameter();
        using var sgd = new Sgd([used, unused], 0.1, 0.9, 1e-2);
        Run(sgd, used, 0, 1);
        Assert.Equal(Start, unused.ToArray<double>());
        Assert.Null(sgd.MomentumBuffers[1]);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        using var parameter = NewParameter();
        Assert.Throws<ArgumentException>(() => new Sgd([parameter], 0.1, momentum: 0, nesterov: true));
        using var sgd = new Sgd([parameter], 0.1, 0.9);
        var error = Assert.Throws<ArgumentException>(() => sgd.LoadMomentumBuffers([null, null]));
        Assert.Contains("2 momentum buffers given for 1 parameters", error.Message);
    }
}
