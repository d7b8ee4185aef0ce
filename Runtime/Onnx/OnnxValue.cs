namespace Dsl.Runtime.Onnx;

/// <summary>
/// A float32 NCHW tensor of the graph being built: its name in the graph and its channels, height and width
/// (the batch is the graph's dynamic first dimension). The exporter tracks shapes itself, so each resize and each
/// check of a join knows the sizes the model would see at the exported input.
/// </summary>
internal sealed record OnnxValue(string Name, long Channels, long Height, long Width)
{
    public override string ToString() => $"{Name} [N, {Channels}, {Height}, {Width}]";
}
