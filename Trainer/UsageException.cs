namespace Dsl.Trainer;

/// <summary>A mistake in the command line or its inputs; printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
