namespace Dsl.Runtime.Tests.Platform;

/// <summary>Whatever the load-time check decided about oneDNN on this CPU, convolutions of few channels come out right.</summary>
public sealed class OneDnnTests
{
    public static TheoryData<int, int, int, int, bool> Shapes()
    {
        var shapes = new TheoryData<int, int, int, int, bool>();
        foreach (var channelsLast in new[] { false, true })
        foreach (var (inputs, outputs) in new[] { (4, 4), (8, 8), (4, 16), (16, 8) })
        foreach (var (kernel, stride) in new[] { (3, 1), (3, 2), (1, 1) })
            shapes.Add(inputs, outputs, kernel, stride, channelsLast);
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ConvolutionAndItsGradientsAgreeWithFloat64(int inputs, int outputs, int kernel, int stride, bool channelsLast)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var input = randn([16, inputs, 8, 8], generator: generator);
        var weight = randn([outputs, inputs, kernel, kernel], generator: generator) * 0.2;
        var exact = Convolve(input.to(float64), weight.to(float64), stride, channelsLast: false);

        var actual = Convolve(input, weight, stride, channelsLast);

        foreach (var (name, value, reference) in new[] { ("output", actual.Output, exact.Output), ("input gradient", actual.Input, exact.Input), ("weight gradient", actual.Weight, exact.Weight) })
        {
            var error = RelativeError(value, reference);
            Assert.True(error <= 1e-4, $"{name}: relative error {error:E2} (oneDNN {(OneDnn.Enabled ? "on" : "off")})");
        }
        using (no_grad())
        {
            var half = nn.functional.conv2d(Layout(input.to(bfloat16), channelsLast), Layout(weight.to(bfloat16), channelsLast),
                strides: [stride, stride], padding: [kernel / 2, kernel / 2]);
            var error = RelativeError(half, exact.Output);
            Assert.True(error <= 2e-2, $"bfloat16 output: relative error {error:E2} (oneDNN {(OneDnn.Enabled ? "on" : "off")})");
        }
    }

    private static (Tensor Output, Tensor Input, Tensor Weight) Convolve(Tensor input, Tensor weight, long stride, bool channelsLast)
    {
        var x = Layout(input, channelsLast).detach().requires_grad_();
        var w = Layout(weight, channelsLast).detach().requires_grad_();
        var padding = weight.shape[2] / 2;
        var y = nn.functional.conv2d(x, w, strides: [stride, stride], padding: [padding, padding]);
        // A fixed upstream gradient of y's shape: the sum of y times its position's index.
        (y * arange(y.numel(), dtype: y.dtype).reshape(y.shape).div(y.numel())).sum().backward();
        return (y.detach(), x.grad!, w.grad!);
    }

    private static double RelativeError(Tensor actual, Tensor exact) => ((actual.to(float64) - exact).norm() / exact.norm()).item<double>();

    private static Tensor Layout(Tensor tensor, bool channelsLast) => channelsLast ? tensor.ToChannelsLast() : tensor;
}
