using System.Buffers.Binary;
using System.IO.Compression;

namespace Dsl.Trainer.Tests.Cli;

/// <summary>Writes the first samples of an IDX file as a smaller gzip IDX file.</summary>
internal static class IdxSubset
{
    public static void Write(string source, string target, int count)
    {
        var rank = source.Contains("images") ? 3 : 1;
        var (dims, data) = IdxFile.Read(source, rank);
        var sampleSize = data.Length / dims[0];
        using var file = File.Create(target);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write([0, 0, 8, (byte)rank]);
        Span<byte> dim = stackalloc byte[4];
        for (var i = 0; i < rank; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(dim, i == 0 ? count : dims[i]);
            gz.Write(dim);
        }
        gz.Write(data.AsSpan(0, count * sampleSize));
    }
}
