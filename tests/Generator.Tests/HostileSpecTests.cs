using System.Text;

namespace Dsl.Generator.Tests;

/// <summary>Hostile or broken input ends in diagnostics, never in a generator crash, a hang or injected code.</summary>
public sealed class HostileSpecTests
{
    private static GeneratorDriverRunResult RunSafely(params InMemoryAdditionalText[] files)
    {
        var result = GeneratorHarness.Run(files);
        // Only the generator's own diagnostics: a crash would show as CS8785 (generator) or AD0001 (analyzer).
        Assert.All(result.Diagnostics, d => Assert.StartsWith("DSL", d.Id));
        return result;
    }

    private static void AssertOnly(GeneratorDriverRunResult result, string id)
    {
        Assert.Contains(result.Diagnostics, d => d.Id == id);
        Assert.DoesNotContain(result.Results[0].GeneratedSources, s => s.HintName != "GeneratedModels.g.cs");
    }

    [Fact]
    public void DeepNestingIsCutOff()
    {
        var text = "name: Deep\nfamily: resnet\ndepth: 50\nwidths: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        AssertOnly(RunSafely(GeneratorHarness.Spec("deep.model.yaml", text)), "DSL0014");
    }

    [Fact]
    public void DeepBlockNestingIsCutOff()
    {
        var text = new StringBuilder("name: Deep\nfamily: resnet\ndepth: 50\nstem:\n");
        for (var i = 1; i < 200; i++) text.Append(' ', i * 2).Append("k").Append(i).Append(":\n");
        AssertOnly(RunSafely(GeneratorHarness.Spec("deep.model.yaml", text.ToString())), "DSL0014");
    }

    [Fact]
    public void AliasBombIsCutOff()
    {
        var text = new StringBuilder("name: Bomb\nfamily: resnet\ndepth: 50\na0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (var i = 1; i < 12; i++)
            text.Append('a').Append(i).Append(": &a").Append(i).Append(" [").Append(string.Join(", ", Enumerable.Repeat("*a" + (i - 1), 10))).Append("]\n");
        AssertOnly(RunSafely(GeneratorHarness.Spec("bomb.model.yaml", text.ToString())), "DSL0014");
    }

    [Fact]
    public void HugeFileIsRefused()
    {
        var text = "name: Huge\nfamily: resnet\ndepth: 50\n" + string.Concat(Enumerable.Repeat("# padding padding padding padding\n", 40_000));
        AssertOnly(RunSafely(GeneratorHarness.Spec("huge.model.yaml", text)), "DSL0014");
    }

    [Fact]
    public void HugeNumbersAreOutOfRange()
    {
        var text = "name: Big\nfamily: big-little\nblocks: [3, 4, 6, 99999999999999999999999999999999]\nwidths: [64, 128, 256, 1e400]\n";
        var result = RunSafely(GeneratorHarness.Spec("big.model.yaml", text));
        AssertOnly(result, "DSL0005");
        Assert.Contains(result.Diagnostics, d => d.Id == "DSL0003");
    }

    [Fact]
    public void FiguresTooLargeForALongAreRefused()
    {
        var text = "name: Vast\nfamily: resnet\nblocks: [990, 1, 1, 1]\nwidths: [16384, 16384, 16384, 16384]\ninput: [3, 65536, 65536]\nstem:\n  stride: 1\n  max_pool: false\n";
        AssertOnly(RunSafely(GeneratorHarness.Spec("vast.model.yaml", text)), "DSL0014");
    }

    [Fact]
    public void TooManyBlocksAreRefusedBeforeExpansion()
    {
        var text = "name: Long\nfamily: resnet\nblocks: [3, 4, 6, 9999]\n";
        AssertOnly(RunSafely(GeneratorHarness.Spec("long.model.yaml", text)), "DSL0005");
    }

    [Theory]
    [InlineData("x\\\"; } public class Evil { static Evil() { System.Environment.Exit(1); } } //")]
    [InlineData("Good\\nclass Evil {}")]
    [InlineData("Name</summary><code>")]
    [InlineData("Ünïcode-Net")]
    [InlineData("Model\\u0000Null")]
    public void NamesCannotInjectCode(string name)
    {
        var result = RunSafely(GeneratorHarness.Spec("evil.model.yaml", "name: \"" + name + "\"\nfamily: resnet\ndepth: 50\n"));
        AssertOnly(result, "DSL0012");
        var catalog = Assert.Single(result.Results[0].GeneratedSources);
        Assert.DoesNotContain("Evil", catalog.SourceText.ToString());
    }

    [Fact]
    public void ExtraTextCannotReachTheGeneratedCode()
    {
        // Only validated numbers and names reach the source; a description or comment never does.
        var text = "name: Plain-50\ndescription: \"*/ } class Evil { /*\"\nfamily: resnet\ndepth: 50 # } class Evil {\n";
        var result = RunSafely(GeneratorHarness.Spec("plain.model.yaml", text));
        Assert.Empty(result.Diagnostics);
        Assert.All(result.Results[0].GeneratedSources, s => Assert.DoesNotContain("Evil", s.SourceText.ToString()));
    }

    [Fact]
    public void ClassNamesDifferingOnlyInCaseAreDuplicates()
    {
        var result = RunSafely(GeneratorHarness.Spec("a.model.yaml", "name: Net-Ab\nfamily: resnet\ndepth: 50\n"),
            GeneratorHarness.Spec("b.model.yaml", "name: NetaB\nfamily: resnet\ndepth: 50\n"));
        var duplicate = Assert.Single(result.Diagnostics);
        Assert.Equal("DSL0011", duplicate.Id);
        Assert.Equal(["GeneratedModels.g.cs", "NetAb.Summary.g.cs", "NetAb.g.cs"],
            result.Results[0].GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MutatedSpecsNeverCrashTheGenerator()
    {
        foreach (var (file, seedNumber) in new[] { ("bLResNeXt-50-32x4d.model.yaml", 1234), ("ScaleNet-Small.model.yaml", 99), ("ResNet-50.model.json", 7) })
            Mutate(file, seedNumber);
    }

    private static void Mutate(string fileName, int seedNumber)
    {
        var seed = File.ReadAllText(Path.Combine(RepositoryPaths.Structures, fileName));
        const string alphabet = "{}[]:,-&*!|>'\"#%@`\t\n 0123456789abcdefghijklmnopqrstuvwxyz";
        var random = new Random(seedNumber);
        for (var trial = 0; trial < 100; trial++)
        {
            var text = new StringBuilder(seed);
            for (var edit = 0; edit < 1 + random.Next(4); edit++)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Remove(at, Math.Min(1 + random.Next(5), text.Length - at)); break;
                    case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }
            RunSafely(GeneratorHarness.Spec("fuzz.model" + Path.GetExtension(fileName), text.ToString()));
        }
    }
}
