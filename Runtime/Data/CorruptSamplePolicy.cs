namespace Dsl.Runtime.Data;

/// <summary>What the loader does with a sample that cannot be decoded.</summary>
public enum CorruptSamplePolicy
{
    /// <summary>Leave it out of its batch, count it and report it through <see cref="DataLoader.SkippedSample"/>.</summary>
    Skip,
    /// <summary>Stop with the error.</summary>
    Throw,
}
