namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Copies a tensor's values out, for exact comparisons in tests.</summary>
internal static class TensorValues
{
    public static byte[] Bytes(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.numel() == 0 ? [] : tensor.detach().cpu().contiguous().bytes.ToArray();
    }

    public static double[] Doubles(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        // Flattened: TorchSharp's accessor cannot enumerate a 0-d or an empty tensor.
        return tensor.numel() == 0 ? [] : tensor.detach().cpu().to_type(ScalarType.Float64).reshape(-1).contiguous().data<double>().ToArray();
    }

    public static float[] Floats(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.numel() == 0 ? [] : tensor.detach().cpu().to_type(ScalarType.Float32).reshape(-1).contiguous().data<float>().ToArray();
    }
}
