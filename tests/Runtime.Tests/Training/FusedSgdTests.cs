using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Training;

/// <summary>The fused update against TorchSharp's own SGD, step by step, on parameters in both memory layouts.</summary>
public sealed class FusedSgdTests
{
    [Theory]
    [InlineData(0.9, 0.0, true, 5e-4)]
    [InlineData(0.9, 0.1, false, 1e-4)]
    [InlineData(0.0, 0.0, false, 5e-4)]
    [InlineData(0.9, 0.0, true, 0.0)]
    public void UpdatesAsTorchSharpSgdDoes(double momentum, double dampening, bool nesterov, double weightDecay)
    {
        using var reference = new Parameters();
        using var fused = new Parameters();
        using var plain = new SGD(reference.All, 0.1, momentum, dampening, weightDecay, nesterov);
        using var subject = new FusedSgd(fused.All, 0.1, momentum, dampening, weightDecay, nesterov);

        for (var step = 0; step < 4; step++)
        {
            // A schedule's change of rate between steps is read by both.
            if (step == 2) foreach (var optimizer in new SGD[] { plain, subject }) optimizer.ParamGroups.First().LearningRate = 0.03;
            StepBoth(reference, plain, fused, subject, seed: step);
            AssertClose(reference, fused, $"after step {step}");
        }
        AssertBuffersClose(plain, subject, momentum);
    }

    [Fact]
    public void BufferRestoredInAnotherLayoutIsLaidOutAsItsParameter()
    {
        using var reference = new Parameters();
        using var fused = new Parameters();
        using var plain = new SGD(reference.All, 0.1, 0.9, 0, 5e-4, true);
        using var subject = new FusedSgd(fused.All, 0.1, 0.9, 0, 5e-4, true);
        StepBoth(reference, plain, fused, subject, seed: 0);

        // As a checkpoint restores it: the NHWC weight's buffer arrives NCHW-contiguous.
        var state = (SGD.State)subject.state_dict().State[1];
        var restored = state.momentum_buffer.contiguous();
        Assert.False(restored.stride().SequenceEqual(fused.ChannelsLast.stride()));
        state.momentum_buffer = restored;

        StepBoth(reference, plain, fused, subject, seed: 1);
        AssertClose(reference, fused, "after the restored step");
        Assert.Equal(fused.ChannelsLast.stride(), ((SGD.State)subject.state_dict().State[1]).momentum_buffer.stride());
    }

    [Fact]
    public void ParameterWithoutGradientIsLeftAlone()
    {
        using var fused = new Parameters();
        using var subject = new FusedSgd(fused.All, 0.1, 0.9, 0, 5e-4, true);
        using var before = fused.Bias.detach().clone();
        fused.SetGradients(seed: 0);
        fused.Bias.grad = null;
        subject.step();
        Assert.True(fused.Bias.allclose(before, rtol: 0, atol: 0));
        Assert.Null(((SGD.State)subject.state_dict().State[2]).momentum_buffer);
    }

    [Fact]
    public void StepsWhileTheCollectorRuns()
    {
        // The kernel's rate, momentum and decay reach TorchScript as native scalars: one finalized before libtorch reads
        // it failed a step ("Expected false to be true" in Scalar::toLong) or read another value. TorchSharp's own SGD
        // passes its scalars the same way, so the reference steps after the collector stops.
        const int steps = 3000;
        using var fused = new Parameters();
        using var subject = new FusedSgd(fused.All, 0.1, 0.9, 0, 5e-4, true);
        using (new BackgroundCollector())
            for (var step = 0; step < steps; step++) Step(fused, subject, seed: step % 4);

        using var reference = new Parameters();
        using var plain = new SGD(reference.All, 0.1, 0.9, 0, 5e-4, true);
        for (var step = 0; step < steps; step++) Step(reference, plain, seed: step % 4);
        AssertClose(reference, fused, $"after {steps} steps");
    }

    private static void StepBoth(Parameters reference, SGD plain, Parameters fused, SGD subject, int seed)
    {
        Step(reference, plain, seed);
        Step(fused, subject, seed);
    }

    private static void Step(Parameters parameters, SGD optimizer, int seed)
    {
        parameters.SetGradients(seed);
        optimizer.step();
    }

    private static void AssertClose(Parameters expected, Parameters actual, string when)
    {
        foreach (var (e, a) in expected.All.Zip(actual.All))
        {
            Assert.True(a.allclose(e, rtol: 1e-5, atol: 1e-6), $"{when}: largest difference {(a - e).abs().max().item<float>()}");
            Assert.Equal(e.stride(), a.stride());
        }
    }

    private static void AssertBuffersClose(SGD expected, SGD actual, double momentum)
    {
        foreach (var (e, a) in expected.state_dict().State.Zip(actual.state_dict().State))
        {
            var (expectedBuffer, actualBuffer) = (((SGD.State)e).momentum_buffer, ((SGD.State)a).momentum_buffer);
            if (momentum == 0)
            {
                Assert.Null(actualBuffer);
                continue;
            }
            Assert.True(actualBuffer.allclose(expectedBuffer, rtol: 1e-5, atol: 1e-6));
        }
    }

    /// <summary>A convolution weight NCHW, one NHWC and a bias, with the same values in every instance.</summary>
    private sealed class Parameters : IDisposable
    {
        public Parameter Contiguous { get; }
        public Parameter ChannelsLast { get; }
        public Parameter Bias { get; }
        public Parameter[] All => [Contiguous, ChannelsLast, Bias];

        public Parameters()
        {
            var generator = new Generator(7);
            Contiguous = new Parameter(randn(new long[] { 8, 3, 3, 3 }, generator: generator));
            using var nchw = randn(new long[] { 16, 8, 3, 3 }, generator: generator);
            ChannelsLast = new Parameter(nchw.ToChannelsLast());
            Bias = new Parameter(randn(new long[] { 16 }, generator: generator));
        }

        /// <summary>Gradients of the parameters' own layout, as backward makes them.</summary>
        public void SetGradients(int seed)
        {
            var generator = new Generator((ulong)(100 + seed));
            foreach (var parameter in All)
            {
                using var values = randn(parameter.shape, generator: generator);
                parameter.grad = empty_like(parameter).copy_(values);
            }
        }

        public void Dispose()
        {
            foreach (var parameter in All) parameter.Dispose();
        }
    }
}
