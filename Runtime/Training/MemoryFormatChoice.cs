namespace Dsl.Runtime.Training;

/// <summary>The memory layout a run uses (NHWC strides or plain NCHW) and why; the log prints <see cref="ToString"/>.</summary>
public sealed record MemoryFormatChoice(bool ChannelsLast, string Reason)
{
    public static MemoryFormatChoice Nchw { get; } = new(false, "NCHW was asked for");

    public static MemoryFormatChoice Nhwc { get; } = new(true, "NHWC was asked for");

    /// <summary>The short name the command line and the benchmark print: nhwc or nchw.</summary>
    public string Name => ChannelsLast ? "nhwc" : "nchw";

    public override string ToString() => $"memory format {Name} ({Reason})";
}
