namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Dict keys from a file must cost time in proportion to the file: no exponential or quadratic hashing.</summary>
public sealed class HostileKeyTests
{
    [Fact]
    public void ATupleDagKeySixtyFourLevelsDeepIsRefusedAtOnce()
    {
        // 64 times (t, t): 2^64 leaves when walked as a tree, in 130 bytes.
        var pickle = new CraftedPickle().Op('}').Int(1).Repeat(64, p => p.Op('2').Op(0x86)).Op('N').Op('s').Stop();
        var error = Read(pickle);
        Assert.Contains("dict key ((((...), (...)), ((...), (...))), (((...), (...)), ((...), (...)))) is not None, a bool, a number, a string or a flat tuple of them", error.Message);
    }

    [Fact]
    public void ATupleDagAsTheWholeFileIsDescribedBriefly()
    {
        var pickle = new CraftedPickle().Int(1).Repeat(64, p => p.Op('2').Op(0x86)).Stop();
        var error = Read(pickle);
        Assert.EndsWith("holds ((((...), (...)), ((...), (...))), (((...), (...)), ((...), (...)))), not a state dict or a training checkpoint", error.Message);
    }

    [Fact]
    public void FiftyThousandTupleKeysThatASimpleHashWouldCollideStayDistinct()
    {
        // (i, 31 (n - i)) all give 17 * 31 * 31 + 31 n under h = h * 31 + item.
        const int n = 50_000;
        var pickle = new CraftedPickle().Op('}').Op('(')
            .Repeat(n, (p, i) => p.Int(i).Int(31L * (n - i)).Op(0x86).Int(i)).Op('u').Stop();
        var dict = Assert.IsType<PickleDict>(Load(pickle));
        Assert.Equal(n, dict.Count);
        Assert.Equal(123L, dict[new object?[] { 123L, 31L * (n - 123) }]);
    }

    [Fact]
    public void ALongMemoizedKeySetAHundredThousandTimesIsOneEntry()
    {
        // One 1 MB key, set again through the memo in 4 bytes each time.
        var pickle = new CraftedPickle().Op('}').String(new string('k', 1 << 20)).Op(0x94).Op('0')
            .Repeat(100_000, (p, i) => p.Get(0).Int(i).Op('s')).Stop();
        var dict = Assert.IsType<PickleDict>(Load(pickle));
        Assert.Equal(99_999L, Assert.Single(dict).Value);
    }

    private static object? Load(byte[] pickle)
    {
        using var temp = new TempFolder();
        var path = temp.Combine("keys.pt");
        CraftedArchive.Write(path, pickle);
        return HostileFile.WithinSeconds(10, () =>
        {
            using var checkpoint = Checkpoint.Read(path);
            return checkpoint.Root;
        });
    }

    private static CheckpointException Read(byte[] pickle) => RefusedFile.OnLoad("keys.pt", pickle);
}
