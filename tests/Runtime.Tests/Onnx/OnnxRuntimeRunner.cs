using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;

namespace Dsl.Runtime.Tests.Onnx;

/// <summary>Runs an exported file in ONNX Runtime: float32 NCHW images in, outputs back as tensors.</summary>
internal static class OnnxRuntimeRunner
{
    public static Tensor Logits(string path, Tensor images) => Outputs(path, images)["logits"];

    /// <summary>Every output of the graph by name, in the order the graph lists them.</summary>
    public static IReadOnlyDictionary<string, Tensor> Outputs(string path, Tensor images)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(path, options);
        var values = images.to(float32).contiguous().data<float>().ToArray();
        var input = new DenseTensor<float>(values, [.. images.shape.Select(d => (int)d)]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        return results.ToDictionary(r => r.Name, r =>
        {
            var output = r.AsTensor<float>();
            return tensor(output.ToArray(), [.. output.Dimensions.ToArray().Select(d => (long)d)]);
        });
    }
}
