using Dsl.Runtime.Platform;
using TorchSharp.Modules;

namespace Dsl.Runtime.Training;

/// <summary>
/// TorchSharp's SGD whose update runs libtorch's fused kernel (<c>aten::_fused_sgd_</c>): one pass over each
/// parameter, its gradient and its momentum buffer, where <see cref="SGD.step"/> makes five tensor operations and
/// three temporaries per parameter. Param groups, learning rates and momentum buffers stay TorchSharp's, so schedules
/// and checkpoints see an ordinary SGD.
/// </summary>
/// <remarks>
/// The kernel (<see cref="FusedSgdKernel"/>) walks memory flat, so each gradient and buffer is first given its parameter's
/// strides (a buffer restored NCHW for an NHWC parameter, say).
/// </remarks>
public sealed class FusedSgd : SGD
{
    private readonly FusedSgdKernel kernel = new();

    public FusedSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum, double dampening, double weightDecay,
        bool nesterov) : base(parameters, learningRate, momentum, dampening, weightDecay, nesterov)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
            using (enable_grad())
                loss = closure();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var group in _parameter_groups) Update(group);
        return loss!;
    }

    private void Update(TorchSharp.Modules.ParamGroup group)
    {
        var options = (Options)group.Options;
        var momentum = options.momentum!.Value;
        var continuing = new Batch();
        var starting = new Batch();
        foreach (var parameter in group.Parameters)
        {
            if (parameter.grad is not { } grad) continue;
            var state = (State)_state[parameter.Handle];
            if (momentum != 0 && state.momentum_buffer is null)
            {
                // The kernel's first step writes the buffer without reading it.
                state.momentum_buffer = empty_like(parameter).DetachFromDisposeScope();
                starting.Add(parameter, grad, state.momentum_buffer);
                continue;
            }
            if (state.momentum_buffer is { } buffer && !SameLayout(buffer, parameter))
            {
                state.momentum_buffer = LaidOutAs(parameter, buffer).DetachFromDisposeScope();
                buffer.Dispose();
            }
            continuing.Add(parameter, grad, state.momentum_buffer);
        }
        Run(continuing, options, first: false);
        Run(starting, options, first: true);
    }

    private void Run(Batch batch, Options options, bool first)
    {
        if (batch.Parameters.Count == 0) return;
        kernel.Step(batch.Parameters.ToArray(), batch.Gradients.ToArray(), batch.Buffers.ToArray(), options.weight_decay!.Value,
            options.momentum!.Value, options.LearningRate!.Value, options.dampening!.Value, options.nesterov!.Value, options.maximize!.Value, first);
    }

    private static bool SameLayout(Tensor tensor, Tensor parameter) => tensor.stride().SequenceEqual(parameter.stride());

    private static Tensor LaidOutAs(Tensor parameter, Tensor values) => empty_like(parameter).copy_(values);

    /// <summary>The tensors of one kernel call; without momentum the kernel takes no buffers.</summary>
    private sealed class Batch
    {
        public List<Tensor> Parameters { get; } = [];
        public List<Tensor> Gradients { get; } = [];
        public List<Tensor> Buffers { get; } = [];

        public void Add(Tensor parameter, Tensor gradient, Tensor? buffer)
        {
            Parameters.Add(parameter);
            Gradients.Add(SameLayout(gradient, parameter) ? gradient : LaidOutAs(parameter, gradient));
            if (buffer is not null) Buffers.Add(buffer);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) kernel.Dispose();
        base.Dispose(disposing);
    }
}
