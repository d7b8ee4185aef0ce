namespace Dsl.Runtime.Onnx;

/// <summary>
/// What to export: the opset (null: <see cref="OnnxOpset.Default"/>) and the input's height and width (null: the
/// model's declared input). The batch is always dynamic; height and width are fixed, as the upsampling sizes follow from them.
/// </summary>
public sealed record OnnxExportOptions(int? Opset = null, int? Height = null, int? Width = null);
