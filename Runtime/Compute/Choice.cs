namespace Dsl.Runtime.Compute;

/// <summary>
/// What a <see cref="Precision"/> or <see cref="MemoryFormat"/> came to for a run (never Auto), and why; the log prints
/// <see cref="ToString"/>, for example "precision bf16 (auto: the CPU has amx_bf16)".
/// </summary>
/// <param name="Warning">Where the choice runs slower than the alternative would, why; for the log.</param>
public sealed record Choice<T>(T Value, string Reason, string? Warning = null) where T : struct, Enum
{
    /// <summary>The word the command line, specs and the benchmark use: fp32, bf16, nchw or nhwc.</summary>
    public string Name => Choice.Word(Value);

    public override string ToString() => $"{(typeof(T) == typeof(Precision) ? "precision" : "memory format")} {Name} ({Reason})";
}

/// <summary>Choices taken as asked, and the words for them.</summary>
public static class Choice
{
    public static Choice<Precision> AsAsked(Precision precision) => new(precision, $"{Describe(precision)} was asked for");

    public static Choice<MemoryFormat> AsAsked(MemoryFormat format) => new(format, $"{Describe(format)} was asked for");

    /// <summary>A resolved precision's word.</summary>
    public static string Word<T>(T value) where T : struct, Enum => value switch
    {
        Precision.Float32 => "fp32",
        Precision.BFloat16 => "bf16",
        MemoryFormat.Nchw => "nchw",
        MemoryFormat.Nhwc => "nhwc",
        _ => "auto",
    };

    public static bool IsBFloat16(this Choice<Precision> choice) => choice.Value == Precision.BFloat16;

    public static bool IsChannelsLast(this Choice<MemoryFormat> choice) => choice.Value == MemoryFormat.Nhwc;

    private static string Describe(Precision precision) => precision switch
    {
        Precision.Float32 => "float32",
        Precision.BFloat16 => "bfloat16",
        _ => throw new ArgumentException("Auto is resolved, not asked for as it is", nameof(precision)),
    };

    private static string Describe(MemoryFormat format) => format switch
    {
        MemoryFormat.Nchw => "NCHW",
        MemoryFormat.Nhwc => "NHWC",
        _ => throw new ArgumentException("Auto is resolved, not asked for as it is", nameof(format)),
    };
}
