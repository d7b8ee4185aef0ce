using Dsl.Runtime.Inference;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Platform;
using TorchSharp.Modules;

namespace Dsl.Runtime.Models;

/// <summary>
/// Whether oneDNN computes one model right in bfloat16 in one layout, measured on the model itself: a training step's
/// logits and gradients (batch norm in evaluation mode) and the inference form's logits, in float32 with libtorch's
/// own kernels as the reference, and in bfloat16 with libtorch's own kernels and with oneDNN. oneDNN agrees where its
/// bfloat16 results are no further from float32 than libtorch's own bfloat16 results (twice as far, plus bfloat16's
/// rounding): the yardstick is the model's own rounding error, whatever its depth. The wrong kernels seen were off
/// by 10% to 100%, or NaN.
/// </summary>
/// <remarks>
/// It runs on a fresh instance of the model with every batch-norm gamma drawn from [0.5, 1.5]: the models start their
/// residual branches at gamma 0, which would hide those branches' convolutions from the gradients. Batch norm uses its
/// running statistics: with batch statistics of a few images a network is so sensitive that bfloat16's rounding alone
/// moves its gradients by 100%, and no kernel could be judged. The global random state is left as it was.
/// </remarks>
public static class OneDnnModelCheck
{
    /// <summary>A quantity's relative distance (L2) from float32 with oneDNN's bfloat16 and with libtorch's own.</summary>
    public readonly record struct Distance(double OneDnn, double LibTorch)
    {
        private const double Factor = 2;
        // Half a bfloat16 unit in the last place: below it both are rounding alike.
        private const double Floor = 4e-3;

        /// <summary>Whether oneDNN is within the yardstick; NaN never is.</summary>
        public bool Agrees => OneDnn <= Factor * LibTorch + Floor;

        public override string ToString() => FormattableString.Invariant($"{OneDnn:G2} against {LibTorch:G2}");
    }

    /// <summary>The three distances of one layout.</summary>
    public sealed record Result(bool ChannelsLast, Distance Logits, Distance Gradients, Distance Inference)
    {
        public bool Agrees => Logits.Agrees && Gradients.Agrees && Inference.Agrees;

        public override string ToString() =>
            $"{(ChannelsLast ? "NHWC" : "NCHW")}: logits {Logits}, gradients {Gradients}, inference form {Inference} (oneDNN against libtorch)";
    }

    /// <summary>Measures <paramref name="create"/>'s model on a batch of <paramref name="input"/> (N, C, H, W), switching oneDNN
    /// on and off for the whole process meanwhile; afterwards oneDNN is as the load-time check left it.</summary>
    /// <param name="create">Builds a fresh instance of a generated model (one with an inference form).</param>
    public static Result Measure(Func<nn.Module<Tensor, Tensor>> create, long[] input, bool channelsLast)
    {
        var wasEnabled = OneDnn.Enabled;
        try
        {
            return MeasureSwitching(create, input, channelsLast);
        }
        finally
        {
            OneDnn.Use(wasEnabled);
        }
    }

    private static Result MeasureSwitching(Func<nn.Module<Tensor, Tensor>> create, long[] input, bool channelsLast)
    {
        using var scope = NewDisposeScope();
        using var enableGrad = enable_grad();
        var rng = get_rng_state();
        using var model = create();
        set_rng_state(rng);
        var generator = new Generator(20_190_501);
        using (no_grad())
            foreach (var norm in model.modules().OfType<BatchNorm2d>())
                norm.weight!.copy_(rand(norm.weight.shape, generator: generator) + 0.5);
        var images = randn(input, generator: generator);
        if (channelsLast)
        {
            model.ToChannelsLast();
            images = images.ToChannelsLast();
        }
        model.eval();

        var upstream = (Tensor?)null;
        (Tensor Logits, Tensor Gradients) Step(bool bfloat16, bool oneDnn)
        {
            OneDnn.Use(oneDnn);
            model.zero_grad();
            var logits = new Choice<Precision>(bfloat16 ? Precision.BFloat16 : Precision.Float32, "oneDNN check").Forward(model, images);
            upstream ??= randn(logits.shape, generator: generator);
            (logits * upstream).sum().backward();
            var gradients = cat(model.parameters().Select(p => (p.grad ?? zeros_like(p)).flatten()).ToArray());
            return (logits.detach(), gradients);
        }
        var exact = Step(bfloat16: false, oneDnn: false);
        var libTorch = Step(bfloat16: true, oneDnn: false);
        var oneDnn = Step(bfloat16: true, oneDnn: true);

        using var noGrad = no_grad();
        OneDnn.Use(false);
        var exactInference = model.call(images);
        using var form = ((IHasInferenceForm)model).ForInference(Precision.BFloat16,
            channelsLast ? MemoryFormat.Nhwc : MemoryFormat.Nchw);
        var libTorchInference = form.call(images);
        OneDnn.Use(true);
        var oneDnnInference = form.call(images);
        return new(channelsLast,
            new(Relative(exact.Logits, oneDnn.Logits), Relative(exact.Logits, libTorch.Logits)),
            new(Relative(exact.Gradients, oneDnn.Gradients), Relative(exact.Gradients, libTorch.Gradients)),
            new(Relative(exactInference, oneDnnInference), Relative(exactInference, libTorchInference)));
    }

    /// <summary>‖actual − reference‖ / ‖reference‖; NaN where actual holds a NaN.</summary>
    private static double Relative(Tensor reference, Tensor actual)
    {
        var difference = (actual.to(float64) - reference.to(float64)).norm().item<double>();
        return difference == 0 ? 0 : difference / reference.to(float64).norm().item<double>();
    }
}
