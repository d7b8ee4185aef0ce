using Dsl.Runtime.Platform;

namespace Dsl.Runtime.Compute;

/// <summary>What a <see cref="Precision"/> comes to on a device, and how a model runs under the result.</summary>
public static class PrecisionPolicy
{
    /// <summary>
    /// Decides <paramref name="precision"/> on <paramref name="device"/>: Auto takes bfloat16 only where the hardware runs it
    /// natively and, on a CPU, only while oneDNN is on (<see cref="OneDnn"/>): libtorch's own bfloat16 convolutions
    /// trained bLResNet-Small 4.4× slower than float32. An explicit bfloat16 on a CPU without oneDNN's bfloat16 convolution
    /// runs, with a warning: it is correct there, and slower than float32.
    /// </summary>
    public static Choice<Precision> Resolve(Precision precision, Device device)
    {
        switch (precision)
        {
            case Precision.Float32:
                return Choice.AsAsked(Precision.Float32);
            case Precision.BFloat16:
                return device.type == DeviceType.CPU && CpuCapabilities.Current.MissingForOneDnnBFloat16 is { } missing
                    ? Choice.AsAsked(Precision.BFloat16) with
                    {
                        Warning = $"bf16 was asked for, but this CPU has no {missing} (oneDNN's bfloat16 convolution): "
                            + "libtorch's own bfloat16 kernels run, slower than --precision fp32",
                    }
                    : Choice.AsAsked(Precision.BFloat16);
            default:
                var (native, evidence) = BFloat16Hardware.Probe(device);
                if (native && device.type == DeviceType.CPU && !OneDnn.Enabled)
                    return new(Precision.Float32, $"auto: {evidence}, but oneDNN is off; float32 instead");
                return native ? new(Precision.BFloat16, $"auto: {evidence}") : new(Precision.Float32, $"auto: {evidence}; float32 instead");
        }
    }

    /// <summary>Whether <paramref name="precision"/> takes bfloat16 on <paramref name="device"/> once oneDNN is on: asked for, or Auto on
    /// hardware that runs it natively (what <see cref="Resolve"/> decides before it looks at oneDNN).</summary>
    public static bool TakesBFloat16WithOneDnn(Precision precision, Device device) =>
        precision == Precision.BFloat16 || (precision == Precision.Auto && BFloat16Hardware.Probe(device).Native);

    /// <summary>The model's logits for <paramref name="images"/> under <paramref name="choice"/>, in float32 for the loss and the accuracy.</summary>
    public static Tensor Forward(this Choice<Precision> choice, nn.Module<Tensor, Tensor> model, Tensor images)
    {
        if (!choice.IsBFloat16()) return model.call(images);
        using var scope = Autocast.BFloat16();
        return model.call(images).to(ScalarType.Float32);
    }
}
