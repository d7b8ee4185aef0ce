namespace Dsl.Runtime.Distributed;

/// <summary>
/// Where this process sits in a multi-process job, as torchrun (and <see cref="LocalLauncher"/>) describe it
/// in the environment: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT.
/// </summary>
public sealed record DistributedEnvironment(int Rank, int WorldSize, int LocalRank, string MasterAddress, int MasterPort)
{
    public const string RankVariable = "RANK";
    public const string WorldSizeVariable = "WORLD_SIZE";
    public const string LocalRankVariable = "LOCAL_RANK";
    public const string MasterAddressVariable = "MASTER_ADDR";
    public const string MasterPortVariable = "MASTER_PORT";

    /// <summary>True when WORLD_SIZE is set, that is when a launcher started this process as one rank of a job.</summary>
    public static bool IsLaunched => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WorldSizeVariable));

    /// <summary>A single process: rank 0 of 1.</summary>
    public static DistributedEnvironment Single { get; } = new(0, 1, 0, "127.0.0.1", 0);

    /// <summary>
    /// Reads the launcher's variables; without WORLD_SIZE the process is a single rank. A variable that is
    /// missing or malformed in a launched process is an error naming it.
    /// </summary>
    public static DistributedEnvironment Read() => Read(Environment.GetEnvironmentVariable);

    /// <summary>Reads the launcher's variables through <paramref name="variable"/> (name to value, null when unset).</summary>
    public static DistributedEnvironment Read(Func<string, string?> variable)
    {
        if (string.IsNullOrEmpty(variable(WorldSizeVariable))) return Single;
        var worldSize = Integer(variable, WorldSizeVariable, required: true)!.Value;
        var rank = Integer(variable, RankVariable, required: true)!.Value;
        var localRank = Integer(variable, LocalRankVariable, required: false) ?? rank;
        var address = variable(MasterAddressVariable);
        var port = Integer(variable, MasterPortVariable, required: worldSize > 1);
        if (worldSize > 1 && string.IsNullOrWhiteSpace(address))
            throw new InvalidOperationException($"environment variable {MasterAddressVariable} is not set; a launcher (torchrun, dsl train --nproc) sets it");
        var environment = new DistributedEnvironment(rank, worldSize, localRank, address ?? "127.0.0.1", port ?? 0);
        environment.Validate();
        return environment;
    }

    public void Validate()
    {
        if (WorldSize < 1) throw new ArgumentException($"{WorldSizeVariable} must be at least 1, got {WorldSize}");
        if (Rank < 0 || Rank >= WorldSize) throw new ArgumentException($"{RankVariable} {Rank} is outside 0..{WorldSize - 1}");
        if (LocalRank < 0) throw new ArgumentException($"{LocalRankVariable} must not be negative, got {LocalRank}");
        if (WorldSize > 1 && (MasterPort <= 0 || MasterPort > 65535))
            throw new ArgumentException($"{MasterPortVariable} {MasterPort} is not a TCP port");
    }

    private static int? Integer(Func<string, string?> variable, string name, bool required)
    {
        var text = variable(name);
        if (string.IsNullOrWhiteSpace(text))
            return required ? throw new InvalidOperationException($"environment variable {name} is not set; a launcher (torchrun, dsl train --nproc) sets it") : null;
        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"environment variable {name}='{text}' is not an integer");
    }
}
