using System.Buffers.Binary;
using System.IO.Compression;

namespace Dsl.Runtime.Tests.Data;

/// <summary>IDX headers that declare more than their file holds are refused by name before anything is allocated.</summary>
public sealed class HostileIdxTests
{
    [Fact]
    public void DimensionsWhoseProductOverflowsAreRefusedByName()
    {
        var (error, _) = Refused("overflow-idx3-ubyte", Header(3, int.MaxValue, int.MaxValue, int.MaxValue));
        Assert.Contains("does not fit in 64 bits", error.Message);
    }

    [Fact]
    public void APlainFileShorterThanItsHeaderDeclaresIsRefusedBeforeAllocating()
    {
        var (error, _) = Refused("short-idx3-ubyte", [.. Header(3, 60000, 28, 28), 1, 2, 3]);
        Assert.Contains("47,040,000 bytes, but the file can hold at most 3", error.Message);
    }

    [Fact]
    public void AGzipFileCannotDeclareMoreThanDeflateCanExpandTo()
    {
        // 1.6 GB declared in a file of a few dozen bytes: no deflate stream expands that much.
        var length = 0L;
        var (error, _) = HostileFile.WithinSeconds(10, () => HostileFile.Refused<DataException>("bomb-idx3-ubyte.gz", path =>
        {
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest)) gz.Write(Header(3, 40_000, 40_000, 1));
            length = new FileInfo(path).Length;
        }, path => IdxFile.Read(path, 3)));
        Assert.Contains($"1,600,000,000 bytes, but the file can hold at most {length * IdxFile.MaxGzipExpansion:N0}", error.Message);
    }

    [Fact]
    public void AFifoNamedAsAnIdxFileIsRefusedInsteadOfBlocking()
    {
        using var temp = new TempFolder();
        var fifo = temp.Combine("t10k-labels-idx1-ubyte");
        HostileFile.MakeFifo(fifo);
        var error = HostileFile.WithinSeconds(10, () => Assert.Throws<DataException>(() => IdxFile.Read(fifo, 1)), fifo);
        Assert.Contains($"'{fifo}' is a FIFO, not a regular file", error.Message);
    }

    private static (DataException Error, string Path) Refused(string name, byte[] bytes) =>
        HostileFile.Refused<DataException>(name, bytes, path => IdxFile.Read(path, 3));

    private static byte[] Header(int rank, params int[] dims)
    {
        var bytes = new byte[4 + 4 * rank];
        bytes[2] = 0x08;
        bytes[3] = (byte)rank;
        for (var i = 0; i < rank; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        return bytes;
    }
}
