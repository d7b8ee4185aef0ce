using System.Reflection;
using Dsl.Runtime.Inference;
using ShortcutForm = Dsl.Runtime.Blocks.Shortcut.Inference;

namespace Dsl.Runtime.Onnx;

/// <summary>
/// Reads the settings an inference form keeps to itself: a <see cref="FusedConv"/>'s stride, padding, dilation and
/// groups, a <see cref="ShortcutForm"/>'s average pool. The forms run them but do not show them; the exporter reads
/// their fields by name, and a form whose fields have changed is an error naming the field, not a wrong graph.
/// Weights and biases are read through the state dict, which is the forms' public contract.
/// </summary>
internal static class FusedFormReader
{
    /// <summary>A convolution's geometry: kernel from its weight, the rest from the form.</summary>
    public sealed record ConvGeometry(long[] Stride, long[] Padding, long[] Dilation, long Groups);

    /// <summary>An average pool's settings.</summary>
    public sealed record PoolSettings(long[] Kernel, long[] Stride, long[] Padding, bool CountIncludePad);

    public static ConvGeometry Geometry(FusedConv conv, string path) => new(
        Field<long[]>(conv, "stride", path), Field<long[]>(conv, "padding", path),
        Field<long[]>(conv, "dilation", path), Field<long>(conv, "groups", path));

    /// <summary>The shortcut's pool, or null where it has none.</summary>
    public static PoolSettings? Pool(ShortcutForm shortcut, string path)
    {
        var pool = Field<object?>(shortcut, "pool", path);
        if (pool is null) return null;
        return new PoolSettings(Property<long[]>(pool, "Kernel", path), Property<long[]>(pool, "Stride", path),
            Property<long[]>(pool, "Padding", path), Property<bool>(pool, "CountIncludePad", path));
    }

    /// <summary>The module's weight and bias (null where it has none), by their state-dict keys.</summary>
    public static (Tensor Weight, Tensor? Bias) WeightAndBias(nn.Module module, string path)
    {
        var state = module.state_dict();
        if (!state.TryGetValue("weight", out var weight))
            throw new OnnxExportException($"{path}: {module.GetType().Name} has no weight in its state dict");
        return (weight, state.TryGetValue("bias", out var bias) ? bias : null);
    }

    private static T Field<T>(object owner, string name, string path)
    {
        var field = owner.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new OnnxExportException($"{path}: {owner.GetType().Name} has no field '{name}' for the exporter to read");
        return (T)field.GetValue(owner)!;
    }

    private static T Property<T>(object owner, string name, string path)
    {
        var property = owner.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new OnnxExportException($"{path}: {owner.GetType().Name} has no property '{name}' for the exporter to read");
        return (T)property.GetValue(owner)!;
    }
}
