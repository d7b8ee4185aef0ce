using System.Globalization;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// How long a rank waits in one collective before it ends the job: MPI itself waits forever, so a rank that hangs or
/// took a different number of steps would otherwise stall every other rank without a word.
/// </summary>
public static class CollectiveTimeout
{
    /// <summary>
    /// Thirty minutes, torch.distributed's default: a collective also waits while a peer validates, loads its first
    /// batches or the master writes a checkpoint, so the bound is generous.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(30);

    /// <summary>Overrides <see cref="Default"/> with a number of seconds, e.g. DSL_COLLECTIVE_TIMEOUT=600.</summary>
    public const string Variable = "DSL_COLLECTIVE_TIMEOUT";

    /// <summary>The timeout <see cref="Variable"/> sets, or <see cref="Default"/>; throws <see cref="DistributedException"/> for a malformed value.</summary>
    public static TimeSpan FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return Default;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new DistributedException($"environment variable {Variable}='{text}' is not a positive number of seconds");
    }
}
