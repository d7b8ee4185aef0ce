namespace Dsl.Runtime.Platform;

/// <summary>
/// libtorch's fused SGD update (<c>aten::_fused_sgd_</c>): one pass over each parameter, its gradient and its momentum
/// buffer. TorchSharp binds no fused optimizer, but it compiles TorchScript, which reaches every ATen operator; the
/// script below is that one call.
/// </summary>
internal sealed class FusedSgdKernel : IDisposable
{
    private const string Script = """
        def step(params: List[Tensor], grads: List[Tensor], buffers: List[Tensor], weight_decay: float, momentum: float,
                 lr: float, dampening: float, nesterov: bool, maximize: bool, first: bool):
            torch._fused_sgd_(params, grads, buffers, weight_decay=weight_decay, momentum=momentum, lr=lr,
                              dampening=dampening, nesterov=nesterov, maximize=maximize, is_first_step=first)

        """;

    private readonly jit.CompilationUnit kernel = jit.compile(Script);

    /// <summary>One update of <paramref name="parameters"/>, in place; <paramref name="buffers"/> is empty without momentum,
    /// and on the <paramref name="first"/> step it is written without being read.</summary>
    public void Step(Tensor[] parameters, Tensor[] gradients, Tensor[] buffers, double weightDecay, double momentum, double learningRate,
        double dampening, bool nesterov, bool maximize, bool first)
    {
        using var arguments = new ScriptArguments(parameters, gradients, buffers, weightDecay, momentum, learningRate, dampening, nesterov,
            maximize, first);
        kernel.invoke("step", arguments.Values);
    }

    public void Dispose() => kernel.Dispose();
}
