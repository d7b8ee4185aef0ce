using Dsl.Runtime.Training;
using Dsl.Trainer.Models;

namespace Dsl.Trainer.Setup;

/// <summary>Default hyper-parameters: the original ImageNet recipe, or a short one for small inputs.</summary>
public sealed record Recipe(int Epochs, int BatchSize, double LearningRate, double Momentum, double WeightDecay,
    int Workers, bool ChannelsLast)
{
    /// <summary>SGD Nesterov 0.1, momentum 0.9, wd 1e-4, cosine per epoch, batch 256, 110 epochs.</summary>
    public static readonly Recipe ImageNet = new(110, 256, 0.1, 0.9, 1e-4, Math.Min(18, Environment.ProcessorCount), ChannelsLast: false);

    /// <summary>
    /// Tuned for the small models on Fashion-MNIST on a two-core CPU (a few minutes in all); NHWC runs their
    /// narrow convolutions about a quarter faster there.
    /// </summary>
    public static readonly Recipe Small = new(6, 256, 0.2, 0.9, 5e-4, 1, ChannelsLast: true);

    public static Recipe For(ModelEntry model) => model.IsSmallInput ? Small : ImageNet;
}
