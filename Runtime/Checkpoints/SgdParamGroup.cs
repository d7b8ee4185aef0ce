using TorchSharp.Modules;

namespace Dsl.Runtime.Checkpoints;

/// <summary>One entry of torch.optim.SGD's <c>param_groups</c>: its hyperparameters and how many parameters it holds.</summary>
public sealed record SgdParamGroup(
    double LearningRate,
    double Momentum,
    double Dampening,
    double WeightDecay,
    bool Nesterov,
    int ParameterCount);
