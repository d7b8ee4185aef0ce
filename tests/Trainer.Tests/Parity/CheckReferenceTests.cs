using Dsl.Trainer.Commands;

namespace Dsl.Trainer.Tests.Parity;

/// <summary>
/// Every reference file made from the original PyTorch code passes <c>check-reference</c>: same state-dict
/// keys and shapes, and logits within 1e-4 of the float64 reference.
/// </summary>
public sealed class CheckReferenceTests
{
    public static TheoryData<string> ReferenceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Shared("reference"), "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void GeneratedModelMatchesTheOriginal(string file)
    {
        var result = CheckReferenceCommand.Check(Path.Combine(RepositoryPaths.Shared("reference"), file));
        Assert.True(result.Passed, result.ToString());
        Assert.InRange(result.RelativeError, 0, CheckReferenceCommand.Tolerance);
    }

    [Fact]
    public void CommandFailsOnAnUnknownModelAndSaysWhy()
    {
        var file = Path.Combine(Path.GetTempPath(), $"reference-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"model": "NoSuchNet-7", "input": {"shape": [1, 3, 8, 8]}, "state_dict": [], "logits_f64": [[0.0]]}""");
        try
        {
            var output = new StringWriter();
            Assert.Equal(1, CheckReferenceCommand.Run([file], output));
            Assert.Contains("FAIL", output.ToString());
            Assert.Contains("NoSuchNet-7", output.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
