namespace Dsl.Runtime.Onnx;

/// <summary>
/// The operator sets the exporter writes. The graph uses Conv, Relu, Add, Mul, Sigmoid, MaxPool, AveragePool,
/// GlobalAveragePool, Flatten, Gemm, Concat, Shape, Slice and Resize; Resize takes its output size as an input
/// (with roi and scales left out) from opset 13, which is the oldest written. The newest is 17: the newest that
/// both ONNX Runtime 1.32 and the onnx 1.12 checker accept. IR version 8 is the one onnx 1.12 writes for opset 17.
/// </summary>
public static class OnnxOpset
{
    public const int Oldest = 13;
    public const int Newest = 17;
    public const int Default = Newest;
    public const long IrVersion = 8;

    /// <summary>The opset to write: <paramref name="requested"/> or the default; one outside the range is an error naming both ends.</summary>
    public static int Resolve(int? requested)
    {
        var opset = requested ?? Default;
        if (opset < Oldest)
            throw new OnnxExportException($"opset {opset} cannot express the models' upsampling (Resize with an output size needs opset {Oldest}); use {Oldest} to {Newest}");
        if (opset > Newest)
            throw new OnnxExportException($"opset {opset} is newer than the exporter writes (the onnx 1.12 checker stops at {Newest}); use {Oldest} to {Newest}");
        return opset;
    }
}
