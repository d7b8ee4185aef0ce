namespace Dsl.Runtime.Compute;

/// <summary>The number format a run computes in: <c>--precision</c>, a spec's <c>training: precision:</c>, and inference forms.</summary>
public enum Precision
{
    /// <summary>bfloat16 where the hardware runs it natively (AMX or AVX512-BF16 on CPU, bf16-capable CUDA devices), else float32;
    /// resolved by <see cref="PrecisionPolicy.Resolve"/> before anything computes.</summary>
    Auto,

    /// <summary>Everything in float32.</summary>
    Float32,

    /// <summary>Mixed precision: convolutions and linear layers compute in bfloat16; batch-norm statistics, the loss,
    /// the master weights and the optimizer stay float32 (an inference form's logits too).</summary>
    BFloat16,
}
