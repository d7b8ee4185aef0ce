namespace Dsl.Runtime.Training;

/// <summary>Input for timing: kernels' speed does not depend on the values, so random images do, drawn from their own
/// generator so that timing moves neither the data order nor libtorch's global random state.</summary>
public static class SyntheticBatch
{
    /// <summary>Standard-normal float32 images of <paramref name="shape"/> (N, C, H, W), NCHW-contiguous, on <paramref name="device"/>.</summary>
    public static Tensor Images(long[] shape, Device device)
    {
        using var generator = new Generator(0, device);
        return randn(shape, dtype: ScalarType.Float32, device: device, generator: generator);
    }

    /// <summary>Labels 0, 1, …, cycling through <paramref name="classes"/>.</summary>
    public static Tensor Labels(long count, long classes, Device device) => arange(count, ScalarType.Int64, device).remainder_(classes);
}
