using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;

namespace Dsl.Runtime.Tests.Onnx;

/// <summary>Runs an exported file in ONNX Runtime: float32 NCHW images in, the <c>logits</c> output back as a tensor.</summary>
internal static class OnnxRuntimeRunner
{
    public static Tensor Logits(string path, Tensor images)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(path, options);
        var values = images.to(float32).contiguous().data<float>().ToArray();
        var input = new DenseTensor<float>(values, [.. images.shape.Select(d => (int)d)]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        var output = results.Single(r => r.Name == "logits").AsTensor<float>();
        return tensor(output.ToArray(), [.. output.Dimensions.ToArray().Select(d => (long)d)]);
    }
}
