using Dsl.Runtime.Native;

namespace Dsl.Runtime;

/// <summary>Disables gradient recording on this thread until disposed (torch.no_grad()).</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly bool previous;

    public NoGradScope()
    {
        previous = Torch.GradEnabled;
        NativeMethods.dsl_set_grad_enabled(0);
    }

    public void Dispose() => NativeMethods.dsl_set_grad_enabled(previous ? 1 : 0);
}

/// <summary>libtorch's inference mode on this thread until disposed (torch.inference_mode()).</summary>
public sealed class InferenceModeScope : IDisposable
{
    private IntPtr guard = Check.Handle(NativeMethods.dsl_inference_mode_enter());

    public void Dispose()
    {
        if (guard == IntPtr.Zero) return;
        NativeMethods.dsl_inference_mode_exit(guard);
        guard = IntPtr.Zero;
    }
}
