using System.Diagnostics;

namespace Dsl.Runtime.Training;

/// <summary>Wall-clock timing of a repeated step, after warm-up steps that let libtorch pick and cache its kernels.</summary>
public static class StepTimer
{
    /// <summary>The median milliseconds of <paramref name="repeats"/> runs of <paramref name="step"/> after <paramref name="warmUp"/> untimed ones;
    /// each run ends when <paramref name="device"/> has finished its work.</summary>
    public static double MedianMilliseconds(Action step, int warmUp, int repeats, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmUp);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        for (var i = 0; i < warmUp; i++) Run(step, device);
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            Run(step, device);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
    }

    private static void Run(Action step, Device device)
    {
        // Each step's temporaries die with it, so timing does not grow memory.
        using (NewDisposeScope()) step();
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
