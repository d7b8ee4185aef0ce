namespace Dsl.Runtime.Distributed;

/// <summary>
/// A data-parallel job cannot be set up or cannot go on: a malformed launcher variable, Open MPI missing or
/// failing to start, a collective that failed, or a launch whose ranks failed. The message names the cause.
/// </summary>
public sealed class DistributedException : Exception
{
    public DistributedException(string message) : base(message) { }

    public DistributedException(string message, Exception inner) : base(message, inner) { }
}
