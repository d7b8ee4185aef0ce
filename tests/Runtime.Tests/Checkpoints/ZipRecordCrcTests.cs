using System.IO.Compression;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>The CRC-32 of each record our zip writer stores is the one .NET's zip reader checks.</summary>
public sealed class ZipRecordCrcTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1001)]
    public void ZipArchiveReadsARecordBackWithItsCrc(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        using var buffer = new MemoryStream();
        var writer = new AlignedZipWriter(buffer);
        writer.Add("archive/x", data);
        writer.Finish();
        buffer.Position = 0;
        using var read = new ZipArchive(buffer, ZipArchiveMode.Read);
        var entry = Assert.Single(read.Entries);
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data), entry.Crc32);
        using var copy = new MemoryStream();
        // .NET's reader checks the stored CRC against the data as it reads to the end.
        using (var stream = entry.Open()) stream.CopyTo(copy);
        Assert.Equal(data, copy.ToArray());
    }
}
