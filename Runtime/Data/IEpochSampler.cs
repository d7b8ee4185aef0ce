namespace Dsl.Runtime.Data;

/// <summary>Chooses the samples of each epoch, in order (for example one rank's shard of a shared permutation).</summary>
public interface IEpochSampler
{
    /// <summary>How many indices <see cref="Indices"/> returns for every epoch.</summary>
    int SamplesPerEpoch { get; }

    int[] Indices(int epoch);
}
