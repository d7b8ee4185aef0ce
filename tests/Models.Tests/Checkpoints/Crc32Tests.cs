using System.IO.Compression;
using Dsl.Runtime.Checkpoints;
using Xunit;

namespace Dsl.Models.Tests.Checkpoints;

public sealed class Crc32Tests
{
    [Fact]
    public void MatchesTheStandardCheckValue() => Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1001)]
    public void MatchesTheCrcThatZipArchiveStores(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry("x", CompressionLevel.NoCompression).Open())
            entry.Write(data);
        buffer.Position = 0;
        using var read = new ZipArchive(buffer, ZipArchiveMode.Read);
        Assert.Equal(read.Entries[0].Crc32, Crc32.Compute(data));
    }
}
