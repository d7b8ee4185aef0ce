using Dsl.Runtime.Compute;
using SGD = TorchSharp.Modules.SGD;

namespace Dsl.Runtime.Training;

/// <summary>One SGD step on a batch: forward under the precision policy, cross-entropy (with optional label smoothing)
/// in float32, backward, update.</summary>
public static class TrainingStep
{
    /// <summary>Runs the step; the logits (float32) and the loss join the caller's dispose scope.</summary>
    /// <param name="beforeUpdate">Runs between backward and the update (the data-parallel gradient average).</param>
    /// <param name="lossWeight">The factor on the loss that backward sees (a rank's share of a data-parallel step's samples).</param>
    public static (Tensor Logits, Tensor Loss) Run(nn.Module<Tensor, Tensor> model, SGD sgd, Tensor images, Tensor labels,
        Choice<Precision> precision, double labelSmoothing = 0, Action? beforeUpdate = null, double lossWeight = 1)
    {
        var logits = precision.Forward(model, images);
        // An empty batch (a rank whose samples were all skipped) takes the step too, with zero loss and gradients.
        var loss = labels.shape[0] == 0 ? logits.sum() : nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
        sgd.zero_grad();
        Weighted(loss, lossWeight).backward();
        beforeUpdate?.Invoke();
        sgd.step();
        return (logits, loss);
    }

    private static Tensor Weighted(Tensor loss, double weight)
    {
        if (weight == 1) return loss;
        // Held for the call: a temporary Scalar may be finalized while libtorch still reads it.
        using var factor = weight.ToScalar();
        return loss.mul(factor);
    }
}
