using Dsl.Runtime.Compute;
using SGD = TorchSharp.Modules.SGD;

namespace Dsl.Runtime.Training;

/// <summary>One SGD step on a batch: forward under the precision policy, cross-entropy (with optional label smoothing)
/// in float32, backward, update.</summary>
public static class TrainingStep
{
    /// <summary>Runs the step; the logits (float32) and the loss join the caller's dispose scope.</summary>
    /// <param name="beforeUpdate">Runs between backward and the update (the data-parallel gradient average).</param>
    public static (Tensor Logits, Tensor Loss) Run(nn.Module<Tensor, Tensor> model, SGD sgd, Tensor images, Tensor labels,
        Choice<Precision> precision, double labelSmoothing = 0, Action? beforeUpdate = null)
    {
        var logits = precision.Forward(model, images);
        var loss = nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
        sgd.zero_grad();
        loss.backward();
        beforeUpdate?.Invoke();
        sgd.step();
        return (logits, loss);
    }
}
