namespace Dsl.Runtime.Tests.Ops;

public class DeviceTests
{
    [Fact]
    public void CudaWithoutCudaIsAClearInvalidOperation()
    {
        using var scope = new TensorScope();
        var x = Tensor.Ones([2]);
        if (Torch.CudaDeviceCount > 0)
        {
            // A CUDA build: the same calls must work instead.
            Device.Cuda().EnsureAvailable();
            Assert.Equal(DeviceType.Cuda, x.To(Device.Cuda()).Device.Type);
            return;
        }
        var error = Assert.Throws<InvalidOperationException>(() => Device.Cuda().EnsureAvailable());
        Assert.Contains("CUDA was requested", error.Message);
        var moveError = Assert.Throws<InvalidOperationException>(() => x.To(Device.Cuda()));
        Assert.Contains("CUDA", moveError.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.Ones([2], device: Device.Cuda(0)));
    }

    [Fact]
    public void CpuIsAlwaysAvailable()
    {
        using var scope = new TensorScope();
        Device.Cpu.EnsureAvailable();
        var x = Tensor.Ones([2]).To(Device.Cpu);
        Assert.Equal(Device.Cpu.Type, x.Device.Type);
        Assert.Equal("cpu", Device.Parse(" CPU ").ToString());
        Assert.Equal(Device.Cuda(1), Device.Parse("cuda:1"));
        Assert.Throws<FormatException>(() => Device.Parse("tpu"));
    }
}
