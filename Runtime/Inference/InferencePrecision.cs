namespace Dsl.Runtime.Inference;

/// <summary>The number format an inference form computes its convolutions in; its logits are float32 either way.</summary>
public enum InferencePrecision
{
    Float32,

    /// <summary>bfloat16: float32's range with an 8-bit mantissa, which CPUs with AMX or AVX512-BF16 run several times faster.</summary>
    BFloat16,
}
