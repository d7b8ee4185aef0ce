using Dsl.Runtime.Inference;
using static Dsl.Runtime.Onnx.OnnxGraph;
using ShortcutForm = Dsl.Runtime.Blocks.Shortcut.Inference;

namespace Dsl.Runtime.Onnx;

/// <summary>
/// The ONNX operators the models use, each with the shape PyTorch would give at the exported input, so every node
/// of the graph carries the shape the model computes there. <c>path</c> names the node (a state-dict path).
/// </summary>
internal sealed class OnnxOps(OnnxGraph graph)
{
    public OnnxGraph Graph => graph;

    /// <summary>A 2-d convolution, zero padding, symmetric pads as PyTorch's.</summary>
    public OnnxValue Conv(string path, OnnxValue x, Tensor weight, Tensor? bias, FusedConv.ConvGeometry g)
    {
        var (outC, inPerGroup, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3]);
        if (inPerGroup * g.Groups != x.Channels)
            throw new OnnxExportException($"{path}: the convolution takes {inPerGroup * g.Groups} channels ({g.Groups} groups of {inPerGroup}) but is given {x}");
        var inputs = new List<string> { x.Name, graph.Initializer(path + ".weight", weight) };
        if (bias is not null) inputs.Add(graph.Initializer(path + ".bias", bias));
        var name = graph.Node("Conv", path, inputs,
            Ints("kernel_shape", [kh, kw]), Ints("strides", g.Stride), Ints("dilations", g.Dilation),
            Ints("pads", [g.Padding[0], g.Padding[1], g.Padding[0], g.Padding[1]]), Int("group", g.Groups));
        return new OnnxValue(name, outC,
            Out(path, x.Height, kh, g.Stride[0], g.Padding[0], g.Dilation[0]),
            Out(path, x.Width, kw, g.Stride[1], g.Padding[1], g.Dilation[1]));
    }

    public OnnxValue Relu(string path, OnnxValue x) => x with { Name = graph.Node("Relu", path, [x.Name]) };

    public OnnxValue Sigmoid(string path, OnnxValue x) => x with { Name = graph.Node("Sigmoid", path, [x.Name]) };

    /// <summary>The element-wise sum of two values of one shape.</summary>
    public OnnxValue Add(string path, OnnxValue a, OnnxValue b)
    {
        if ((a.Channels, a.Height, a.Width) != (b.Channels, b.Height, b.Width))
            throw new OnnxExportException($"{path}: cannot add {a} and {b}");
        return a with { Name = graph.Node("Add", path, [a.Name, b.Name]) };
    }

    /// <summary><paramref name="x"/> scaled per channel by <paramref name="scale"/> ([N, C, 1, 1]).</summary>
    public OnnxValue Mul(string path, OnnxValue x, OnnxValue scale) => x with { Name = graph.Node("Mul", path, [x.Name, scale.Name]) };

    /// <summary>Max pooling without padding or dilation, floor mode, as <c>max_pool2d(x, k, s)</c> or with the padding given.</summary>
    public OnnxValue MaxPool(string path, OnnxValue x, long kernel, long stride, long padding = 0)
    {
        var name = graph.Node("MaxPool", path, [x.Name],
            Ints("kernel_shape", [kernel, kernel]), Ints("strides", [stride, stride]), Ints("pads", [padding, padding, padding, padding]));
        return x with { Name = name, Height = Out(path, x.Height, kernel, stride, padding, 1), Width = Out(path, x.Width, kernel, stride, padding, 1) };
    }

    public OnnxValue AveragePool(string path, OnnxValue x, ShortcutForm.AveragePool p)
    {
        var name = graph.Node("AveragePool", path, [x.Name],
            Ints("kernel_shape", p.Kernel), Ints("strides", p.Stride),
            Ints("pads", [p.Padding[0], p.Padding[1], p.Padding[0], p.Padding[1]]), Int("count_include_pad", p.CountIncludePad ? 1 : 0));
        return x with
        {
            Name = name,
            Height = Out(path, x.Height, p.Kernel[0], p.Stride[0], p.Padding[0], 1),
            Width = Out(path, x.Width, p.Kernel[1], p.Stride[1], p.Padding[1], 1),
        };
    }

    /// <summary>The global average pool, kept 4-d ([N, C, 1, 1]).</summary>
    public OnnxValue GlobalAveragePool(string path, OnnxValue x) =>
        new(graph.Node("GlobalAveragePool", path, [x.Name]), x.Channels, 1, 1);

    /// <summary>
    /// <paramref name="x"/> resized to <paramref name="height"/> x <paramref name="width"/>: nearest as PyTorch's
    /// <c>interpolate(mode: Nearest)</c> (source index floor(dst * in / out)), or bilinear with <c>align_corners: false</c>
    /// (half-pixel centres). The batch and channels come from the value's shape, so the batch stays dynamic.
    /// </summary>
    public OnnxValue Resize(string path, OnnxValue x, long height, long width, bool bilinear)
    {
        var shape = graph.Node("Shape", path + ".shape", [x.Name]);
        var leading = graph.Node("Slice", path + ".batch_channels", [shape, graph.Int64s(path + ".starts", 0), graph.Int64s(path + ".ends", 2)]);
        var sizes = graph.Node("Concat", path + ".sizes", [leading, graph.Int64s(path + ".spatial", height, width)], Int("axis", 0));
        var attributes = bilinear
            ? new[] { String("mode", "linear"), String("coordinate_transformation_mode", "half_pixel") }
            : [String("mode", "nearest"), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor")];
        var name = graph.Node("Resize", path, [x.Name, "", "", sizes], attributes);
        return x with { Name = name, Height = height, Width = width };
    }

    /// <summary>The values joined along the channels; all of one height and width.</summary>
    public OnnxValue Concat(string path, IReadOnlyList<OnnxValue> values)
    {
        if (values.Count == 1) return values[0];
        if (values.Any(v => (v.Height, v.Width) != (values[0].Height, values[0].Width)))
            throw new OnnxExportException($"{path}: cannot concatenate {string.Join(", ", values)}");
        var name = graph.Node("Concat", path, values.Select(v => v.Name), Int("axis", 1));
        return values[0] with { Name = name, Channels = values.Sum(v => v.Channels) };
    }

    /// <summary>An output size of a convolution or pool; one under 1 is an error naming the layer.</summary>
    private static long Out(string path, long size, long kernel, long stride, long padding, long dilation)
    {
        var output = (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        if (size + 2 * padding - dilation * (kernel - 1) - 1 < 0 || output < 1)
            throw new OnnxExportException($"{path}: an input of size {size} is too small for kernel {kernel}, stride {stride}, padding {padding}; export at a larger input");
        return output;
    }
}
