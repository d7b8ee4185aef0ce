namespace Dsl.Runtime.Onnx;

/// <summary>
/// What to export: the opset (null: <see cref="OnnxOpset.Default"/>), the input's height and width (null: the
/// model's declared input), and the stages whose outputs the graph also returns (null: none). The batch is always
/// dynamic; height and width are fixed, as the upsampling sizes follow from them.
/// </summary>
/// <param name="Features">Stage numbers, 1 to 4: stage k's output (<c>layer{k}</c>, the model's <c>Features</c> map
/// <c>Stage{k}</c>) becomes the output <c>stage{k}</c>, [batch, channels, height, width] float32, after <c>logits</c>.</param>
public sealed record OnnxExportOptions(int? Opset = null, int? Height = null, int? Width = null, IReadOnlyList<int>? Features = null);
