namespace Dsl.Runtime.Onnx;

/// <summary>A model, or one of its layers, that the ONNX exporter cannot write; the message names the layer by its state-dict path.</summary>
public sealed class OnnxExportException(string message) : Exception(message);
