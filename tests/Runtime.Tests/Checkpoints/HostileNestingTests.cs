namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>However a file nests its values, reading it must end in a clear error, never a stack overflow.</summary>
public sealed class HostileNestingTests
{
    private const int Deep = 16_000;

    [Fact]
    public void TuplesNestedSixteenThousandDeepAreRefused()
    {
        var error = Read(new CraftedPickle().Op(')').Repeat(Deep, p => p.Op(0x85)).Stop());
        Assert.EndsWith(": containers are nested more than 100 levels deep", error.Message);
    }

    [Fact]
    public void OneHundredLevelsLoadAndOneMoreIsRefused()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("hundred.pt");
        // The innermost is the empty tuple, so 99 TUPLE1s make 100 levels.
        CraftedArchive.Write(path, new CraftedPickle().Op(')').Repeat(99, p => p.Op(0x85)).Stop());
        using (var checkpoint = Checkpoint.Read(path))
        {
            var depth = 0;
            for (var value = checkpoint.Root; value is object?[] tuple; value = tuple.Length > 0 ? tuple[0] : null) depth++;
            Assert.Equal(100, depth);
        }
        Assert.Contains("more than 100 levels", Read(new CraftedPickle().Op(')').Repeat(100, p => p.Op(0x85)).Stop()).Message);
    }

    [Fact]
    public void ListsNestedAfterTheyWerePlacedInTheirParentsAreRefused()
    {
        // Each new list goes into the one before, which already sits in its own parent: the depth only shows
        // once the whole value is read. Memo entry k is the k-th list.
        var pickle = new CraftedPickle().Op(']').Op(0x94)
            .Repeat(Deep, (p, k) => p.Get(k).Op(']').Op(0x94).Op('a').Op('0')).Stop();
        Assert.EndsWith(": containers are nested more than 100 levels deep", Read(pickle).Message);
    }

    [Fact]
    public void AListThatContainsItselfIsRefused()
    {
        var error = Read(new CraftedPickle().Op(']').Op(0x94).Op('h').Op(0).Op('a').Stop());
        Assert.EndsWith(": a list contains itself", error.Message);
    }

    [Fact]
    public void RebuildFromTypeNestedInItselfIsRefused()
    {
        // _rebuild_from_type_v2(_rebuild_from_type_v2, Tensor, (_rebuild_from_type_v2, Tensor, (...))): memo 0 is the
        // function, 1 the class, k + 2 the arguments nested k deep.
        var pickle = new CraftedPickle().Global("torch._tensor", "_rebuild_from_type_v2").Op(0x94)
            .Global("torch", "Tensor").Op(0x94).Op('0').Op('0').Op(')')
            .Repeat(Deep, (p, k) => p.Op(0x94).Op('0').Get(0).Get(1).Get(k + 2).Op(0x87))
            .Op(0x94).Op('0').Get(0).Get(0).Get(1).Get(Deep + 2).Op(0x87).Op('R').Stop();
        Assert.Contains("_rebuild_from_type_v2 rebuilds another _rebuild_from_type_v2", Read(pickle).Message);
    }

    [Fact]
    public void ANumpyScalarClaimingSixteenMebibytesPerItemIsRefused()
    {
        var pickle = new CraftedPickle()
            .Global("numpy.core.multiarray", "scalar")
            .Global("numpy", "dtype").String("f16777216").Op(0x89).Op(0x88).Op(0x87).Op('R')
            .Bytes(new byte[16 << 20]).Op(0x86).Op('R').Stop();
        Assert.Contains("numpy scalars of dtype 'f16777216' are not supported", Read(pickle).Message);
    }

    private static CheckpointException Read(byte[] pickle) => RefusedFile.OnLoad("nested.pt", pickle);
}
