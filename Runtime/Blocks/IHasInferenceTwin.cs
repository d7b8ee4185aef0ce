using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Blocks;

/// <summary>A training block with a hand-written inference twin, its nested <c>Inference</c> class.</summary>
public interface IHasInferenceTwin<out TTwin> where TTwin : nn.Module<Tensor, Tensor>
{
    /// <summary>This block in inference form: batch norms folded in with the running statistics, weights laid out once.</summary>
    TTwin ForInference(InferenceLayout layout);
}
