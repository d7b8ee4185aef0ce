using System.Globalization;

namespace Dsl.Runtime;

public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
}

/// <summary>Where a tensor lives: the CPU, or one CUDA device when the linked libtorch has CUDA.</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device Cpu = new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu") return Cpu;
        if (value == "cuda") return Cuda();
        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return Cuda(index);
        throw new FormatException($"'{text}' is not a device: use cpu, cuda or cuda:N");
    }

    /// <summary>Throws a clear error when this device cannot be used with the linked libtorch.</summary>
    public void EnsureAvailable()
    {
        if (Type != DeviceType.Cuda) return;
        var count = Torch.CudaDeviceCount;
        if (count == 0)
            throw new InvalidOperationException(
                "CUDA was requested but the linked libtorch has no CUDA support or no GPU is visible; " +
                "build Runtime/Native against a CUDA libtorch (Torch_DIR) or use --device cpu");
        if (Index >= count)
            throw new InvalidOperationException($"cuda:{Index} was requested but only {count} CUDA device(s) are visible");
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}";
}
