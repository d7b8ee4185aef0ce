namespace Dsl.Runtime.Platform;

/// <summary>
/// What this CPU offers the paths the runtime may take, read once from <c>/proc/cpuinfo</c>. <c>DSL_CPU=avx2</c> or
/// <c>DSL_CPU=avx512</c> makes the process see a smaller CPU than it runs on (<see cref="Cap"/>): the features above the
/// cap are dropped, and oneDNN is held to the same instruction set (<see cref="OneDnnIsaLimit"/>), so a machine with AMX
/// runs as an AVX2-only or an AVX-512-without-bfloat16 one would.
/// </summary>
public sealed class CpuCapabilities
{
    public const string Variable = "DSL_CPU";

    private static readonly Lazy<CpuCapabilities> Read = new(() => FromProcCpuinfo(Environment.GetEnvironmentVariable(Variable)));

    // What an AVX2-only CPU lacks, and an AVX-512 CPU without bfloat16: the features the runtime asks about, and their kin.
    private static readonly string[] AboveAvx2 = ["avx512", "amx", "avx_ne_convert", "avx_vnni", "avx_ifma"];
    private static readonly string[] AboveAvx512 = ["avx512_bf16", "avx512_fp16", "amx", "avx_ne_convert"];

    private readonly HashSet<string> flags;

    private CpuCapabilities(string model, int? family, IEnumerable<string> flags, string? cap)
    {
        Model = model;
        Family = family;
        this.flags = [.. flags];
        Cap = cap;
    }

    /// <summary>This process's CPU, capped where <see cref="Variable"/> says so.</summary>
    public static CpuCapabilities Current => Read.Value;

    /// <summary>The CPU's model name, as <c>/proc/cpuinfo</c> gives it ("AMD EPYC"); "unknown CPU" where it gives none.</summary>
    public string Model { get; }

    /// <summary>The CPU family number, where the CPU reports one.</summary>
    public int? Family { get; }

    /// <summary>The smaller CPU this process acts as (avx2 or avx512); null where it sees the whole CPU.</summary>
    public string? Cap { get; }

    public bool Has(string flag) => flags.Contains(flag);

    /// <summary>
    /// Whether oneDNN's bfloat16 convolutions run here: libtorch takes them (and its fused bfloat16 operators run at all)
    /// only with avx512bw, avx512vl and avx512dq, or avx_ne_convert; elsewhere bfloat16 is libtorch's own, slower kernels.
    /// </summary>
    public bool OneDnnBFloat16 => Has("avx512bw") && Has("avx512vl") && Has("avx512dq") || Has("avx_ne_convert");

    /// <summary>Whether the CPU computes bfloat16 products in hardware (AVX512-BF16 or AMX-BF16), several times faster than float32.</summary>
    public bool NativeBFloat16 => OneDnnBFloat16 && NativeBFloat16Flags.Count > 0;

    /// <summary>The flags that compute bfloat16 products in hardware which this CPU has, for messages ("avx512_bf16, amx_bf16").</summary>
    public IReadOnlyList<string> NativeBFloat16Flags => [.. new[] { "avx512_bf16", "amx_bf16" }.Where(Has)];

    /// <summary>What <see cref="OneDnnBFloat16"/> misses here, for messages ("avx512bw/vl/dq or avx_ne_convert"); null where nothing is missing.</summary>
    public string? MissingForOneDnnBFloat16 => OneDnnBFloat16 ? null : "avx512bw/vl/dq or avx_ne_convert";

    /// <summary>The value of oneDNN's <c>ONEDNN_MAX_CPU_ISA</c> that holds it to <see cref="Cap"/>; null without a cap.</summary>
    public string? OneDnnIsaLimit => Cap switch
    {
        "avx2" => "AVX2",
        "avx512" => "AVX512_CORE",
        _ => null,
    };

    /// <summary>
    /// The CPU in a few words, with what bfloat16 comes to here: "AMD EPYC (family 25): avx2 fma; bf16 emulated (no
    /// avx512bw/vl/dq)".
    /// </summary>
    public string Describe()
    {
        var name = Family is { } family ? $"{Model} (family {family})" : Model;
        if (Cap is not null) name += $", seen as {Cap} ({Variable}={Cap})";
        string[] vector = [.. new[] { "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16", "amx_bf16", "avx_ne_convert" }.Where(Has)];
        var bfloat16 = NativeBFloat16
            ? $"bf16 native ({string.Join(", ", NativeBFloat16Flags)})"
            : OneDnnBFloat16
                ? "bf16 emulated by oneDNN (no avx512_bf16 or amx_bf16)"
                : $"bf16 emulated (no {string.Join("/", MissingAvx512())})";
        return $"{name}: {(vector.Length == 0 ? "no AVX2" : string.Join(' ', vector))}; {bfloat16}";
    }

    private IEnumerable<string> MissingAvx512()
    {
        var missing = new[] { "bw", "vl", "dq" }.Where(suffix => !Has("avx512" + suffix)).ToArray();
        return missing.Length == 0 ? [] : [$"avx512{string.Join('/', missing)}"];
    }

    /// <summary>The CPU described by the text of a <c>/proc/cpuinfo</c> (its first processor), capped to <paramref name="cap"/>
    /// (null, empty or "native": uncapped).</summary>
    public static CpuCapabilities Parse(string cpuinfo, string? cap)
    {
        string? Field(string key) => cpuinfo.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim() == key)
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();
        var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var family = int.TryParse(Field("cpu family"), out var number) ? number : (int?)null;
        var setting = cap?.Trim().ToLowerInvariant();
        string[] dropped = setting switch
        {
            null or "" or "native" => [],
            "avx2" => AboveAvx2,
            "avx512" => AboveAvx512,
            _ => throw new InvalidOperationException($"environment variable {Variable}='{cap}' is not one of avx2, avx512, native"),
        };
        var kept = flags.Where(flag => !dropped.Any(prefix => flag.StartsWith(prefix, StringComparison.Ordinal)));
        return new CpuCapabilities(Field("model name") ?? "unknown CPU", family, kept, dropped.Length == 0 ? null : setting);
    }

    private static CpuCapabilities FromProcCpuinfo(string? cap)
    {
        string text;
        try
        {
            text = OperatingSystem.IsLinux() ? File.ReadAllText("/proc/cpuinfo") : "";
        }
        catch (IOException)
        {
            // Without the list the CPU is taken as one with no optional features: bfloat16 is then never chosen by itself.
            text = "";
        }
        return Parse(text, cap);
    }
}
