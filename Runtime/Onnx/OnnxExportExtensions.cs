using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Onnx;

/// <summary>ONNX export as a method of every generated model (each implements <see cref="IHasInferenceForm"/>).</summary>
public static class OnnxExportExtensions
{
    /// <summary>
    /// Writes the model's float32 inference form, as its weights stand now, to <paramref name="path"/> as ONNX
    /// (<see cref="OnnxExport.Save"/>: input <c>input</c>, output <c>logits</c>, batch dynamic, written atomically).
    /// </summary>
    /// <exception cref="OnnxExportException">A layer the chosen opset cannot express, or a model that is no generated model.</exception>
    public static OnnxExportResult ExportOnnx(this IHasInferenceForm model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (model is not nn.Module module)
            throw new OnnxExportException($"{model.GetType().Name} is not a module; only generated models are exported");
        return OnnxExport.Save(module, path, options);
    }
}
