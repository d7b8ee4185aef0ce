namespace Dsl.Runtime.Onnx;

/// <summary>
/// Reads an inference form's layer weights through its state dict, the forms' public contract, so the exporter
/// writes the very tensors the form computes with. The rest of a layer's settings the forms show themselves
/// (<see cref="Inference.FusedConv.Geometry"/>, <see cref="Blocks.Shortcut.Inference.Pool"/>).
/// </summary>
internal static class FusedFormReader
{
    /// <summary>The module's weight and bias (null where it has none), by their state-dict keys.</summary>
    public static (Tensor Weight, Tensor? Bias) WeightAndBias(nn.Module module, string path)
    {
        var state = module.state_dict();
        if (!state.TryGetValue("weight", out var weight))
            throw new OnnxExportException($"{path}: {module.GetType().Name} has no weight in its state dict");
        return (weight, state.TryGetValue("bias", out var bias) ? bias : null);
    }
}
