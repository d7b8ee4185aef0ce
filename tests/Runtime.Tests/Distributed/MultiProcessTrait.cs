namespace Dsl.Runtime.Tests.Distributed;

/// <summary>
/// The trait of tests that start ranks under mpirun (Open MPI: the openmpi-bin package). CI selects or skips
/// them with <c>--filter Category=MultiProcess</c> or <c>--filter Category!=MultiProcess</c>.
/// </summary>
internal static class MultiProcessTrait
{
    public const string Name = "Category";
    public const string Value = "MultiProcess";
}
