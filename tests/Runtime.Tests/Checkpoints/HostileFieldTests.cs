using System.Text;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Fields libtorch or .NET cannot honour, and text meant for a terminal, are reported against the file.</summary>
public sealed class HostileFieldTests
{
    [Fact]
    public void AnEmptyTensorWhoseSizesOverflowLibTorchNamesTheFile()
    {
        // No element (one size is 0), but libtorch multiplies the sizes before it sees the 0.
        var pickle = new CraftedPickle().Tensor("FloatStorage", "0", 1, 0, [1L << 62, 1L << 62, 0], [0, 0, 0]).Stop();
        var (error, _) = RefusedFile.AsCheckpoint("overflow.pt", pickle, ("0", new byte[4]));
        Assert.Contains($"libtorch cannot build a tensor of size [{1L << 62}, {1L << 62}, 0] and stride [0, 0, 0]", error.Message);
    }

    [Fact]
    public void ControlCharactersFromTheFileAreEscapedInTheMessage()
    {
        // STACK_GLOBAL, whose names are UTF-8.
        var (error, _) = RefusedFile.AsCheckpoint("terminal.pt", new CraftedPickle().String("os\u001b[2J").String("system\u0007\u202e").Op(0x93).Stop());
        Assert.Contains(@"refuses the Python global 'os\x1b[2J.system\x07\u202e'", error.Message);
        Assert.DoesNotContain(error.Message, c => char.IsControl(c) || c == '\u202e');
    }

    [Fact]
    public void ControlCharactersInStateDictKeysAreEscapedInTheMismatchReport()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("keys.pt");
        var pickle = new CraftedPickle().Op('}').String("fc.bias\u001b[2K").Tensor("FloatStorage", "0", 1, 0, [1], [1]).Op('s').Stop();
        CraftedArchive.Write(path, pickle, ("0", new byte[4]));
        var error = Assert.Throws<StateDictMismatchException>(() => Checkpoint.LoadInto(new SmallNet(), path));
        Assert.Contains(@"unexpected keys (1): fc.bias\x1b[2K", error.Message);
        Assert.DoesNotContain('\u001b', error.Message);
    }

    [Fact]
    public void ASafetensorsTensorOverTwoGigabytesIsAClearError()
    {
        const long bytes = 3L << 30;
        var header = Encoding.UTF8.GetBytes($"{{\"small\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}},\"huge\":{{\"dtype\":\"U8\",\"shape\":[{bytes}],\"data_offsets\":[4,{bytes + 4}]}}}}");
        var (error, _) = RefusedFile.AsSafeTensors("huge.safetensors", path =>
        {
            using var file = File.Create(path);
            file.Write(BitConverter.GetBytes((ulong)header.Length));
            file.Write(header);
            // Sparse: the file claims 3 GB but occupies a few blocks.
            file.SetLength(file.Length + bytes + 4);
        });
        Assert.EndsWith($"tensor 'huge' holds {bytes} bytes; tensors larger than 2 GB are not supported", error.Message);
    }
}
