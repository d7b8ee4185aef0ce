using Dsl.Runtime.Compute;

namespace Dsl.Runtime.Inference;

/// <summary>A model that can build its inference form; every generated model is one, also when reached through the catalog.</summary>
public interface IHasInferenceForm
{
    /// <summary>The inference form of the model's current weights and running statistics.</summary>
    nn.Module<Tensor, Tensor> ForInference(Precision precision, MemoryFormat format);
}
