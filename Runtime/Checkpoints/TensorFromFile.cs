using System.Runtime.InteropServices;

namespace Dsl.Runtime.Checkpoints;

/// <summary>Builds tensors from a file's fields, so that what libtorch refuses is reported against the file.</summary>
internal static class TensorFromFile
{
    /// <summary>The built tensor, detached from any dispose scope: the caller owns it.</summary>
    public static Tensor Build(string filePath, string what, Func<Tensor> build)
    {
        try
        {
            return build().DetachFromDisposeScope();
        }
        catch (ExternalException e)
        {
            throw new CheckpointException(filePath, $"libtorch cannot build {what}: {e.Message}", e);
        }
    }
}
