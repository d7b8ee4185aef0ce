using Google.Protobuf;
using Onnx;

namespace Dsl.Runtime.Onnx;

/// <summary>
/// An ONNX graph under construction: nodes named by their layer's state-dict path, weights as float32 initializers,
/// and the shape of every value (<see cref="OnnxValue"/>) so that each operator can check what it is given.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly GraphProto graph = new();
    private readonly HashSet<string> names = [];

    public OnnxGraph(string name) => graph.Name = name;

    public GraphProto Proto => graph;

    /// <summary>The number of nodes so far.</summary>
    public int NodeCount => graph.Node.Count;

    /// <summary>A float32 initializer named <paramref name="name"/> holding <paramref name="tensor"/>'s values.</summary>
    public string Initializer(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var values = tensor.detach().to(float32).cpu().contiguous().data<float>().ToArray();
        var proto = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(tensor.shape);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) throw new OnnxExportException("ONNX raw data is little-endian; this machine is not");
        proto.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>An int64 initializer (shapes, slice bounds).</summary>
    public string Int64s(string name, params long[] values)
    {
        var proto = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Adds a node named <paramref name="name"/>; its single output is named after it.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(name) };
        node.Input.AddRange(inputs);
        node.Output.Add(node.Name);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return node.Name;
    }

    public void Input(string name, long channels, long height, long width) =>
        graph.Input.Add(Value(name, [null, channels, height, width]));

    public void Output(string name, long classes) => graph.Output.Add(Value(name, [null, classes]));

    public void Output(string name, long channels, long height, long width) =>
        graph.Output.Add(Value(name, [null, channels, height, width]));

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A float32 value's type; a null dimension is the dynamic batch.</summary>
    private static ValueInfoProto Value(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    /// <summary><paramref name="name"/>, or with a numeric suffix where a value of that name exists (the same layer used twice).</summary>
    private string Unique(string name)
    {
        if (names.Add(name)) return name;
        for (var i = 1; ; i++)
            if (names.Add(name + "_" + i)) return name + "_" + i;
    }
}
