namespace Dsl.Runtime.Distributed;

/// <summary>The communication library a process group runs on.</summary>
public enum DistributedBackend
{
    /// <summary>Gloo over TCP: CPU tensors, any machine.</summary>
    Gloo,
    /// <summary>NCCL: CUDA tensors; needs a libtorch built with CUDA and NCCL.</summary>
    Nccl,
}

public static class DistributedBackends
{
    /// <summary>Parses "gloo" or "nccl" (any case), as the command line spells them.</summary>
    public static DistributedBackend Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "gloo" => DistributedBackend.Gloo,
        "nccl" => DistributedBackend.Nccl,
        _ => throw new ArgumentException($"unknown distributed backend '{name}' (expected gloo or nccl)", nameof(name)),
    };

    public static string Name(this DistributedBackend backend) => backend switch
    {
        DistributedBackend.Gloo => "gloo",
        DistributedBackend.Nccl => "nccl",
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null),
    };

    /// <summary>Whether this build of libdsltorch can create NCCL groups.</summary>
    public static bool NcclCompiled => Native.NativeMethods.dsl_dist_nccl_compiled() != 0;
}
