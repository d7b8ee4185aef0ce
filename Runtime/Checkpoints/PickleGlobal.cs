namespace Dsl.Runtime.Checkpoints;

/// <summary>A reference to a Python class or function by module and name; it is never imported or run.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}
