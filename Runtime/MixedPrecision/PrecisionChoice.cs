using Dsl.Runtime.Platform;
using Dsl.Runtime.Training;

namespace Dsl.Runtime.MixedPrecision;

/// <summary>What a <see cref="PrecisionMode"/> comes to on a device, and why; the log prints <see cref="ToString"/>.</summary>
/// <param name="Warning">Where the choice runs slower than float32 would (bfloat16 without oneDNN's kernels), why; for the log.</param>
public sealed record PrecisionChoice(bool BFloat16, string Reason, string? Warning = null)
{
    public static PrecisionChoice Float32 { get; } = new(false, "float32 was asked for");

    /// <summary>
    /// Decides <paramref name="mode"/> on <paramref name="device"/>: Auto takes bfloat16 only where the hardware runs it
    /// natively and, on a CPU, only while oneDNN is on (<see cref="OneDnn"/>): libtorch's own bfloat16 convolutions
    /// trained bLResNet-Small 4.4× slower than float32.
    /// </summary>
    public static PrecisionChoice Resolve(PrecisionMode mode, Device device)
    {
        switch (mode)
        {
            case PrecisionMode.Float32: return Float32;
            case PrecisionMode.BFloat16:
                return device.type == DeviceType.CPU && CpuCapabilities.Current.MissingForOneDnnBFloat16 is { } missing
                    ? new(true, "bfloat16 was asked for",
                        $"bf16 was asked for, but this CPU has no {missing} (oneDNN's bfloat16 convolution): libtorch's own bfloat16 kernels run, slower than --precision fp32")
                    : new(true, "bfloat16 was asked for");
            default:
                var (native, evidence) = BFloat16Hardware.Probe(device);
                if (native && device.type == DeviceType.CPU && !OneDnn.Enabled)
                    return new(false, $"auto: {evidence}, but oneDNN is off; float32 instead");
                return new(native, native ? $"auto: {evidence}" : $"auto: {evidence}; float32 instead");
        }
    }

    /// <summary>Whether <paramref name="mode"/> takes bfloat16 on <paramref name="device"/> once oneDNN is on: asked for, or Auto on
    /// hardware that runs it natively (what <see cref="Resolve"/> decides before it looks at oneDNN).</summary>
    public static bool TakesBFloat16WithOneDnn(PrecisionMode mode, Device device) =>
        mode == PrecisionMode.BFloat16 || (mode == PrecisionMode.Auto && BFloat16Hardware.Probe(device).Native);

    /// <summary>The model's logits for <paramref name="images"/> under this choice, in float32 for the loss and the accuracy.</summary>
    public Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        if (!BFloat16) return model.call(images);
        using var scope = Autocast.BFloat16();
        return model.call(images).to(ScalarType.Float32);
    }

    /// <summary>The short name the command line and the benchmark print: bf16 or fp32.</summary>
    public string Name => BFloat16 ? "bf16" : "fp32";

    public override string ToString() => $"precision {Name} ({Reason})";
}
