using System.IO.Compression;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Reading a small hostile file must not allocate much more than the file itself holds.</summary>
public sealed class HostileMemoryTests(ITestOutputHelper output)
{
    private const long MemoryLimit = 200 * PeakMemory.Megabyte;

    [Fact]
    public void AnExpandedViewStaysAViewOfItsOneElementStorage()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("expanded.pt");
        // {'conv1.weight': one float viewed as 20000 x 20000 (1.6 GB if copied)}
        var pickle = new CraftedPickle().Op('}').String("conv1.weight")
            .Tensor("FloatStorage", "0", 1, 0, [20_000, 20_000], [0, 0]).Op('s').Stop();
        CraftedArchive.Write(path, pickle, ("0", BitConverter.GetBytes(1.5f)));

        using (var checkpoint = Checkpoint.Read(path))
        {
            var weight = Assert.IsType<Tensor>(checkpoint["conv1.weight"]);
            Assert.Equal([0L, 0], weight.stride());
            Assert.Equal(1.5f, weight[19_999, 19_999].item<float>());
        }

        var model = new SmallNet();
        var mismatch = Assert.IsType<StateDictMismatchException>(FailsInBoundedMemory(path, () => Checkpoint.LoadInto(model, path)));
        Assert.Equal(path, mismatch.FilePath);
        Assert.Equal([20_000L, 20_000], Assert.Single(mismatch.Report.MisShaped).Given);
    }

    [Fact]
    public void ADeflatedStorageBeyondTheBudgetIsRefusedBeforeItIsRead()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("bomb.pt");
        const long floats = 64L << 20;
        var pickle = new CraftedPickle().Tensor("FloatStorage", "0", floats, 0, [floats], [1]).Stop();
        CraftedArchive.Write(path, pickle, CompressionLevel.Fastest, ("0", floats * 4, WriteZeros));
        var fileLength = new FileInfo(path).Length;

        var refused = Assert.IsType<CheckpointException>(FailsInBoundedMemory(path, () => Checkpoint.Read(path).Dispose()));
        Assert.Equal(path, refused.FilePath);
        Assert.Contains($"reading record 'archive/data/0' ({floats * 4} bytes) would take more than 16x the file's {fileLength} bytes plus 64 MiB", refused.Message);

        static void WriteZeros(Stream stream)
        {
            var zeros = new byte[1 << 20];
            for (var written = 0L; written < floats * 4; written += zeros.Length) stream.Write(zeros);
        }
    }

    [Fact]
    public void ADeflatedStorageWithinTheBudgetIsRead()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("deflated.pt");
        var values = Enumerable.Range(0, 1000).Select(i => (float)(i % 7)).ToArray();
        var pickle = new CraftedPickle().Tensor("FloatStorage", "0", values.Length, 0, [values.Length], [1]).Stop();
        var data = values.SelectMany(BitConverter.GetBytes).ToArray();
        CraftedArchive.Write(path, pickle, CompressionLevel.Optimal, ("0", data.LongLength, o => o.Write(data)));

        using var checkpoint = Checkpoint.Read(path);
        Assert.Equal(values, TensorValues.Floats(Assert.IsType<Tensor>(checkpoint.Root)));
    }

    [Fact]
    public void BytesEncodedAgainAndAgainFromOneMemoizedStringAreRefused()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("encode.pt");
        // [_codecs.encode(s, 'latin1') for 1000 times] over one memoized 1 MB string: a 1 GB list if built.
        var pickle = new CraftedPickle()
            .Global("_codecs", "encode").Op('q').Op(0).String(new string('x', 1 << 20)).Op('q').Op(1).String("latin1").Op('q').Op(2).Op('0').Op('0').Op('0')
            .Op(']').Repeat(1000, p => p.Op('h').Op(0).Op('h').Op(1).Op('h').Op(2).Op(0x86).Op('R').Op('a')).Stop();
        CraftedArchive.Write(path, pickle);

        var refused = Assert.IsType<CheckpointException>(FailsInBoundedMemory(path, () => Checkpoint.Read(path).Dispose()));
        Assert.Equal(path, refused.FilePath);
        Assert.Contains($"_codecs.encode would copy more items or bytes than a {pickle.Length}-byte pickle can describe", refused.Message);
    }

    /// <summary>What loading the file threw; the peak resident memory meanwhile must stay under the limit.</summary>
    private Exception FailsInBoundedMemory(string path, Action load)
    {
        var (growth, error) = PeakMemory.During(load);
        output.WriteLine($"{new FileInfo(path).Length}-byte file: peak resident growth {growth / PeakMemory.Megabyte} MB");
        Assert.True(growth < MemoryLimit, $"peak resident memory grew by {growth / PeakMemory.Megabyte} MB");
        return Assert.IsAssignableFrom<Exception>(error);
    }
}
