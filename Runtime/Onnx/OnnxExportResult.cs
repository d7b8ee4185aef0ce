namespace Dsl.Runtime.Onnx;

/// <summary>An exported graph's figures: its opset, input, classes, node and initializer counts, and the file's size in bytes.</summary>
public sealed record OnnxExportResult(string Model, int Opset, long Channels, long Height, long Width, long Classes, int Nodes, int Initializers, long Bytes);
