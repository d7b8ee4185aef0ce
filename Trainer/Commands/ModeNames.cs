using Dsl.Runtime.Training;

namespace Dsl.Trainer.Commands;

/// <summary>How the command line spells precision and memory-format modes.</summary>
public static class ModeNames
{
    public static readonly string[] Precisions = ["fp32", "bf16", "auto"];
    public static readonly string[] MemoryFormats = ["auto", "nchw", "nhwc"];

    public static PrecisionMode ParsePrecision(string value) => value switch
    {
        "fp32" => PrecisionMode.Float32,
        "bf16" => PrecisionMode.BFloat16,
        "auto" => PrecisionMode.Auto,
        _ => throw new UsageException($"precision '{value}' is not one of {string.Join(", ", Precisions)}"),
    };

    public static MemoryFormatMode ParseMemoryFormat(string value) => value switch
    {
        "nchw" => MemoryFormatMode.Nchw,
        "nhwc" => MemoryFormatMode.Nhwc,
        "auto" => MemoryFormatMode.Auto,
        _ => throw new UsageException($"memory format '{value}' is not one of {string.Join(", ", MemoryFormats)}"),
    };
}
