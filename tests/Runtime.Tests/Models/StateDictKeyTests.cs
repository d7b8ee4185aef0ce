using System.Text.Json;

namespace Dsl.Runtime.Tests.Models;

/// <summary>The generated models' state dicts carry the original keys and shapes, in the original order.</summary>
public sealed class StateDictKeyTests
{
    public static TheoryData<string> ReferenceFiles() => [.. ReferenceData.Files().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void StateDictMatchesTheOriginalEntryForEntry(string fileName)
    {
        var reference = ReferenceData.Load(fileName);
        using var model = BuiltInModels.Catalog.Get(reference.Model).Create();

        var actual = PyTorchStateDict.Of(model).Select(e => (e.Key, Shape: e.Value.shape)).ToList();
        Assert.Equal(reference.StateDict.Count, actual.Count);
        // TorchSharp's own state_dict() holds the same entries, listed parameters first.
        Assert.Equal(actual.Select(e => e.Key).Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
        for (var i = 0; i < actual.Count; i++)
        {
            var (key, shape) = reference.StateDict[i];
            Assert.True(key == actual[i].Key, $"entry {i}: expected key '{key}', got '{actual[i].Key}'");
            Assert.True(shape.SequenceEqual(actual[i].Shape),
                $"entry {i} '{key}': expected shape [{string.Join(",", shape)}], got [{string.Join(",", actual[i].Shape)}]");
        }
    }

    [Fact]
    public void ScaleNetBuildsTheSameWhateverWasBuiltBefore()
    {
        // The original reads allocation rows through a class-level counter that is never reset, so a second
        // build reads the wrong rows; every build here must be identical.
        static List<(string, long[])> Entries(string name)
        {
            using var model = BuiltInModels.Catalog.Get(name).Create();
            return model.state_dict().Select(e => (e.Key, e.Value.shape)).ToList();
        }

        var first = Entries("ScaleNet-Small");
        Entries("ScaleNet-50-light");
        var second = Entries("ScaleNet-Small");
        Assert.Equal(first.Select(e => e.Item1), second.Select(e => e.Item1));
        Assert.Equal(first.Select(e => string.Join(",", e.Item2)), second.Select(e => string.Join(",", e.Item2)));
        Assert.Contains(first, e => e.Item1 == "layer4.1.conv2.1.weight");
        Assert.DoesNotContain(first, e => e.Item1 == "layer4.1.conv2.2.weight");
    }
}

/// <summary>The reference files made from the original PyTorch code (../shared/reference beside the repository).</summary>
internal static class ReferenceData
{
    public sealed record Reference(string Model, long Parameters, long MultiplyAdds224, IReadOnlyList<(string Key, long[] Shape)> StateDict);

    public static string Directory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DSL_REFERENCE_DIR");
        return string.IsNullOrEmpty(fromEnvironment) ? RepositoryPaths.Shared("reference") : fromEnvironment;
    }

    public static IEnumerable<string> Files()
    {
        var files = System.IO.Directory.GetFiles(Directory(), "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new FileNotFoundException("No reference JSON files in " + Directory());
        return files;
    }

    public static Reference Load(string fileName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory(), fileName)));
        var root = document.RootElement;
        var entries = root.GetProperty("state_dict").EnumerateArray()
            .Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray()))
            .ToList();
        return new Reference(root.GetProperty("model").GetString()!, root.GetProperty("parameters").GetInt64(),
            root.GetProperty("multiply_adds_224").GetInt64(), entries);
    }
}
