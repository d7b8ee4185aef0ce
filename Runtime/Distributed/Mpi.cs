using System.Runtime.InteropServices;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// The few Open MPI C functions data-parallel training needs. Open MPI's handles (communicators, datatypes,
/// operations, error handlers) are the addresses of exported globals such as <c>ompi_mpi_comm_world</c>, so
/// they are looked up in the loaded library instead of being compile-time constants as in mpi.h.
/// </summary>
internal static partial class Mpi
{
    public const string LibraryName = "libmpi.so.40";

    public const int Success = 0;
    public const int ThreadSerialized = 2;

    /// <summary>mpi.h's MPI_IN_PLACE: the receive buffer is also the send buffer.</summary>
    public static readonly IntPtr InPlace = 1;

    private static readonly Lazy<IntPtr> Library = new(LoadLibrary, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IntPtr CommWorld => Export("ompi_mpi_comm_world");
    public static IntPtr Float => Export("ompi_mpi_float");
    public static IntPtr Double => Export("ompi_mpi_double");
    public static IntPtr Int64 => Export("ompi_mpi_int64_t");
    public static IntPtr Byte => Export("ompi_mpi_byte");
    public static IntPtr Sum => Export("ompi_mpi_op_sum");
    public static IntPtr ErrorsReturn => Export("ompi_mpi_errors_return");

    private static IntPtr Export(string name) => NativeLibrary.GetExport(Library.Value, name);

    private static IntPtr LoadLibrary()
    {
        try
        {
            return NativeLibrary.Load(LibraryName);
        }
        catch (DllNotFoundException e)
        {
            throw new DistributedException(
                $"Open MPI's {LibraryName} could not be loaded ({e.Message}); install the openmpi-bin and libopenmpi-dev packages", e);
        }
    }

    /// <summary>Throws when an MPI call did not succeed, with MPI's description of the error.</summary>
    public static void Check(int code, string operation)
    {
        if (code != Success) throw new DistributedException($"MPI {operation} failed: {ErrorText(code)} (error {code})");
    }

    private static unsafe string ErrorText(int code)
    {
        const int MaxErrorString = 256;
        var buffer = stackalloc byte[MaxErrorString + 1];
        var length = 0;
        return MPI_Error_string(code, buffer, &length) == Success ? Marshal.PtrToStringUTF8((IntPtr)buffer, length) : "unknown error";
    }

    [LibraryImport(LibraryName)]
    public static unsafe partial int MPI_Init_thread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(LibraryName)]
    public static unsafe partial int MPI_Initialized(int* flag);

    [LibraryImport(LibraryName)]
    public static partial int MPI_Finalize();

    [LibraryImport(LibraryName)]
    public static unsafe partial int MPI_Comm_rank(IntPtr communicator, int* rank);

    [LibraryImport(LibraryName)]
    public static unsafe partial int MPI_Comm_size(IntPtr communicator, int* size);

    [LibraryImport(LibraryName)]
    public static partial int MPI_Comm_set_errhandler(IntPtr communicator, IntPtr handler);

    [LibraryImport(LibraryName)]
    public static partial int MPI_Allreduce(IntPtr sendBuffer, IntPtr receiveBuffer, int count, IntPtr datatype, IntPtr operation, IntPtr communicator);

    [LibraryImport(LibraryName)]
    public static partial int MPI_Bcast(IntPtr buffer, int count, IntPtr datatype, int root, IntPtr communicator);

    [LibraryImport(LibraryName)]
    public static partial int MPI_Barrier(IntPtr communicator);

    [LibraryImport(LibraryName)]
    public static partial int MPI_Abort(IntPtr communicator, int errorCode);

    [LibraryImport(LibraryName)]
    private static unsafe partial int MPI_Error_string(int code, byte* text, int* length);
}
