using Dsl.Runtime.Platform;
namespace Dsl.Runtime.Blocks;

/// <summary>
/// The identity, whose backward hands on its gradient densely laid out in the tensor's own memory format. A
/// concatenation's backward gives each input a channel slice of its gradient, and libtorch's batch-norm backward
/// takes its parallel kernel only for a dense gradient in the input's layout; for a slice it falls back to a serial
/// loop, 5 to 17 times slower (bfloat16, batch 16, 12 to 256 channels; 34 against 2 ms at 64x56x56 channels-last).
/// </summary>
internal sealed class DenseGradient : torch.autograd.SingleTensorFunction<DenseGradient>
{
    private const string ChannelsLastKey = "channels last";

    public override string Name => nameof(DenseGradient);

    /// <summary><paramref name="tensor"/> itself (a view), with a gradient made dense before it reaches the tensor.</summary>
    public static Tensor Of(Tensor tensor) => tensor.requires_grad ? apply(tensor) : tensor;

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        ctx.save_data(ChannelsLastKey, input.IsChannelsLast());
        return input.alias();
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var dense = (bool)ctx.get_data(ChannelsLastKey) ? grad_output.ToChannelsLast() : grad_output.contiguous();
        return [dense];
    }
}
