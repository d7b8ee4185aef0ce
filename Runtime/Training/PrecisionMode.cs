namespace Dsl.Runtime.Training;

/// <summary>What <c>--precision</c> and a spec's <c>training: precision:</c> ask for.</summary>
public enum PrecisionMode
{
    /// <summary>bfloat16 where the hardware runs it natively (AMX or AVX512-BF16 on CPU, bf16-capable CUDA devices), else float32.</summary>
    Auto,

    /// <summary>Everything in float32.</summary>
    Float32,

    /// <summary>Mixed precision: convolutions and linear layers compute in bfloat16; batch-norm statistics, the loss,
    /// the master weights and the optimizer stay float32.</summary>
    BFloat16,
}
