using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov and weight decay, step for step the
/// update of torch.optim.SGD (one parameter group; weight decay applies to every parameter, as in the
/// original training script).
/// </summary>
public sealed class Sgd : IDisposable
{
    private readonly Tensor[] parameters;
    private readonly Tensor?[] momentumBuffers;

    public double LearningRate { get; set; }
    public double Momentum { get; }
    public double Dampening { get; }
    public double WeightDecay { get; }
    public bool Nesterov { get; }

    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double weightDecay = 0,
        bool nesterov = false, double dampening = 0)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        this.parameters = parameters.ToArray();
        momentumBuffers = new Tensor?[this.parameters.Length];
        (LearningRate, Momentum, WeightDecay, Nesterov, Dampening) = (learningRate, momentum, weightDecay, nesterov, dampening);
    }

    public Sgd(Module model, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : this(model.Parameters(), learningRate, momentum, weightDecay, nesterov) { }

    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>The momentum buffer of each parameter, in parameter order (null before its first step).</summary>
    public IReadOnlyList<Tensor?> MomentumBuffers => momentumBuffers;

    public void Step()
    {
        using var noGrad = new NoGradScope();
        using var scope = new TensorScope();
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var grad = parameter.Grad;
            if (grad is null) continue;
            var direction = WeightDecay != 0 ? grad.Add(parameter.Mul(WeightDecay)) : grad;
            if (Momentum != 0)
            {
                var buffer = momentumBuffers[i];
                if (buffer is null)
                    momentumBuffers[i] = buffer = TensorScope.Detach(direction.Clone());
                else
                    buffer.MulInPlace(Momentum).AddScaledInPlace(direction, 1 - Dampening);
                direction = Nesterov ? direction.Add(buffer.Mul(Momentum)) : buffer;
            }
            parameter.AddScaledInPlace(direction, -LearningRate);
        }
    }

    public void ZeroGrad()
    {
        foreach (var parameter in parameters) parameter.ClearGrad();
    }

    /// <summary>Restores momentum buffers (from a checkpoint); the optimizer takes copies.</summary>
    public void LoadMomentumBuffers(IReadOnlyList<Tensor?> buffers)
    {
        if (buffers.Count != parameters.Length)
            throw new ArgumentException($"{buffers.Count} momentum buffers given for {parameters.Length} parameters");
        using var noGrad = new NoGradScope();
        for (var i = 0; i < parameters.Length; i++)
        {
            momentumBuffers[i]?.Dispose();
            var source = buffers[i];
            if (source is null) { momentumBuffers[i] = null; continue; }
            if (!source.Shape.SequenceEqual(parameters[i].Shape))
                throw new ArgumentException($"momentum buffer {i} has shape [{string.Join(", ", source.Shape)}], its parameter [{string.Join(", ", parameters[i].Shape)}]");
            momentumBuffers[i] = TensorScope.Detach(source.To(parameters[i].Device).To(parameters[i].DType).Clone());
        }
    }

    public void Dispose()
    {
        foreach (var buffer in momentumBuffers) buffer?.Dispose();
        Array.Clear(momentumBuffers);
    }
}
