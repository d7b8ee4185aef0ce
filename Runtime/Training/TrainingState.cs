namespace Dsl.Runtime.Training;

/// <summary>
/// Everything a resume needs: the next epoch, the weights, the optimizer's momentum, the best accuracy so
/// far and the random state. A state read from disk owns its tensors; one built for saving borrows them.
/// </summary>
public sealed class TrainingState(int epoch, string architecture, IReadOnlyList<KeyValuePair<string, Tensor>> model,
    IReadOnlyList<Tensor?> momentum, double bestTop1, byte[] rngState, ulong seed, bool ownsTensors = false) : IDisposable
{
    /// <summary>The number of finished epochs (the epoch to start from).</summary>
    public int Epoch { get; } = epoch;
    public string Architecture { get; } = architecture;
    public IReadOnlyList<KeyValuePair<string, Tensor>> Model { get; } = model;
    public IReadOnlyList<Tensor?> Momentum { get; } = momentum;
    public double BestTop1 { get; } = bestTop1;
    public byte[] RngState { get; } = rngState;
    public ulong Seed { get; } = seed;

    public void Dispose()
    {
        if (!ownsTensors) return;
        foreach (var (_, tensor) in Model) tensor.Dispose();
        foreach (var tensor in Momentum) tensor?.Dispose();
    }
}
