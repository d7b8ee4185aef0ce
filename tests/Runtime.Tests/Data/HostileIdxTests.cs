using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Dsl.Runtime.Data;
using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Data;

/// <summary>IDX headers that declare more than their file holds are refused by name before anything is allocated.</summary>
public sealed class HostileIdxTests
{
    [Fact]
    public void DimensionsWhoseProductOverflowsAreRefusedByName()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("overflow-idx3-ubyte");
        File.WriteAllBytes(path, Header(3, int.MaxValue, int.MaxValue, int.MaxValue));
        var error = Assert.Throws<DataException>(() => IdxFile.Read(path, 3));
        Assert.Contains(path, error.Message);
        Assert.Contains("does not fit in 64 bits", error.Message);
    }

    [Fact]
    public void APlainFileShorterThanItsHeaderDeclaresIsRefusedBeforeAllocating()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("short-idx3-ubyte");
        File.WriteAllBytes(path, [.. Header(3, 60000, 28, 28), 1, 2, 3]);
        var error = Assert.Throws<DataException>(() => IdxFile.Read(path, 3));
        Assert.Contains(path, error.Message);
        Assert.Contains("47,040,000 bytes, but the file can hold at most 3", error.Message);
    }

    [Fact]
    public void AGzipFileCannotDeclareMoreThanDeflateCanExpandTo()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("bomb-idx3-ubyte.gz");
        // 1.6 GB declared in a file of a few dozen bytes: no deflate stream expands that much.
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest)) gz.Write(Header(3, 40_000, 40_000, 1));
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<DataException>(() => IdxFile.Read(path, 3));
        Assert.Contains(path, error.Message);
        Assert.Contains($"1,600,000,000 bytes, but the file can hold at most {new FileInfo(path).Length * IdxFile.MaxGzipExpansion:N0}", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void AFifoNamedAsAnIdxFileIsRefusedInsteadOfBlocking()
    {
        using var temp = new TempFolder();
        var fifo = temp.Combine("t10k-labels-idx1-ubyte");
        HostileFiles.MakeFifo(fifo);
        var error = HostileFiles.WithinSeconds(10, () => Assert.Throws<DataException>(() => IdxFile.Read(fifo, 1)), fifo);
        Assert.Contains($"'{fifo}' is a FIFO, not a regular file", error.Message);
    }

    private static byte[] Header(int rank, params int[] dims)
    {
        var bytes = new byte[4 + 4 * rank];
        bytes[2] = 0x08;
        bytes[3] = (byte)rank;
        for (var i = 0; i < rank; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        return bytes;
    }
}
