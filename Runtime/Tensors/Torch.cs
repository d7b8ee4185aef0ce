using Dsl.Runtime.Native;

namespace Dsl.Runtime;

/// <summary>Process-wide libtorch settings: seeding, random state, threads, CUDA.</summary>
public static class Torch
{
    public static void ManualSeed(ulong seed) => NativeMethods.dsl_manual_seed(seed);

    /// <summary>The CPU generator's state, to save in a checkpoint.</summary>
    public static byte[] GetRngState()
    {
        using var state = new Tensor(NativeMethods.dsl_rng_get_state());
        return state.ToArray<byte>();
    }

    public static void SetRngState(byte[] state)
    {
        using var tensor = Tensor.FromArray(state, state.Length);
        Check.Status(NativeMethods.dsl_rng_set_state(tensor.Handle));
    }

    public static int Threads
    {
        get => NativeMethods.dsl_get_num_threads();
        set => NativeMethods.dsl_set_num_threads(value);
    }

    public static int CudaDeviceCount => NativeMethods.dsl_cuda_device_count();

    public static bool GradEnabled => NativeMethods.dsl_grad_enabled() != 0;
}
