namespace Dsl.Runtime.Checkpoints;

/// <summary>A state-dict key present on both sides with different shapes.</summary>
public sealed record ShapeMismatch(string Key, long[] Expected, long[] Given)
{
    public override string ToString() => $"{Key}: model has [{string.Join(", ", Expected)}], given [{string.Join(", ", Given)}]";
}
