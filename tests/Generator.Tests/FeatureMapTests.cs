using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The feature maps' constants are each stage's channels and stride, computed from the spec, and code written against
/// them compiles only while the spec returns the stages it uses.
/// </summary>
public sealed class FeatureMapTests
{
    private static readonly Lazy<Compilation> Repository = new(() => Compile(GeneratorHarness.RepositoryFiles()));

    /// <summary>
    /// Big-Little Net halves in its stem (after a stride-2 conv1 at 224) and keeps layer3 at layer2's stride (its fusion
    /// block does not downsample); torchvision and ScaleNet max-pool after conv1 and halve in layers 2 to 4.
    /// </summary>
    [Theory]
    [InlineData("BLResNet50", new[] { 256, 512, 1024, 2048 }, new[] { 8, 16, 16, 32 })]
    [InlineData("BLResNeXt101_64x4d", new[] { 256, 512, 1024, 2048 }, new[] { 8, 16, 16, 32 })]
    [InlineData("BLResNetSmall", new[] { 48, 96, 192, 384 }, new[] { 4, 8, 8, 16 })]
    [InlineData("BLResNet50Tiny", new[] { 32, 64, 128, 256 }, new[] { 8, 16, 16, 32 })]
    [InlineData("ScaleNet50", new[] { 256, 512, 1024, 2048 }, new[] { 4, 8, 16, 32 })]
    [InlineData("ScaleNetSmall", new[] { 64, 128, 256, 512 }, new[] { 1, 2, 4, 8 })]
    [InlineData("ResNet50", new[] { 256, 512, 1024, 2048 }, new[] { 4, 8, 16, 32 })]
    public void StageConstantsAreEachStagesChannelsAndStride(string className, int[] channels, int[] strides)
    {
        var model = Repository.Value.GetTypeByMetadataName("Dsl.Definitions." + className)!;
        for (var stage = 1; stage <= 4; stage++)
        {
            Assert.Equal(channels[stage - 1], Constant(model, "Stage" + stage + "Channels"));
            Assert.Equal(strides[stage - 1], Constant(model, "Stage" + stage + "Stride"));
        }
        var source = GeneratedSource(Repository.Value, className);
        Assert.Contains("FeatureStages { get; } = [1, 2, 3, 4];", source);
        Assert.Contains("FeatureChannels { get; } = [" + string.Join(", ", channels) + "];", source);
        Assert.Contains("FeatureStrides { get; } = [" + string.Join(", ", strides) + "];", source);
    }

    private const string Backbone = "name: Backbone\nfamily: resnet\ndepth: 50\ninput: [3, 64, 64]\nfeatures: [4, 2, 3]\n";

    /// <summary>A neck over the stages a spec lists (in any order; the maps come in stage order), with a constant of its own.</summary>
    private const string Neck =
        "namespace Dsl.Definitions;\n" +
        "public static class Neck\n" +
        "{\n" +
        "    public const int Lateral = Backbone.Stage2Channels + Backbone.Stage3Channels + Backbone.Stage4Channels;\n" +
        "    public static TorchSharp.torch.Tensor Top(Backbone.FeatureMaps maps) => maps.Stage4;\n" +
        "    public static int Count(Backbone.FeatureMaps maps) => maps.Maps.Count;\n" +
        "}\n";

    [Fact]
    public void ANeckCompilesAgainstTheListedStages()
    {
        var compilation = Compile([GeneratorHarness.Spec("backbone.model.yaml", Backbone)], Neck);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(512 + 1024 + 2048, Constant(compilation.GetTypeByMetadataName("Dsl.Definitions.Neck")!, "Lateral"));
        var source = GeneratedSource(compilation, "Backbone");
        Assert.Contains("FeatureStages { get; } = [2, 3, 4];", source);
        Assert.Contains("FeatureStrides { get; } = [8, 16, 32];", source);
        Assert.Contains("public FeatureMaps(Tensor stage2, Tensor stage3, Tensor stage4)", source);
    }

    [Fact]
    public void ANeckUsingAStageTheSpecDropsFailsToCompile()
    {
        var neck = Neck.Replace("Backbone.Stage2Channels", "Backbone.Stage1Channels").Replace("maps.Stage4", "maps.Stage1");
        var compilation = Compile([GeneratorHarness.Spec("backbone.model.yaml", Backbone)], neck);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(["CS0117", "CS1061"], errors.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.GetMessage().Contains("'Stage1Channels'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.GetMessage().Contains("'Stage1'", StringComparison.Ordinal));
    }

    [Fact]
    public void ASingleStageIsItsOwnMap()
    {
        var spec = Backbone.Replace("features: [4, 2, 3]", "features: [3]");
        var compilation = Compile([GeneratorHarness.Spec("backbone.model.yaml", spec)]);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var source = GeneratedSource(compilation, "Backbone");
        Assert.Contains("public FeatureMaps(Tensor stage3) =>\n            Stage3 = stage3;", source);
        Assert.Contains("return new(stages.Stage3.MoveToOuterDisposeScope());", source);
        Assert.DoesNotContain("Stage4Channels", source);
    }

    [Theory]
    [InlineData("features: [1, 5]", "features[1]", "5", "the network's stages are 1 to 4 (layer1 to layer4)")]
    [InlineData("features: [3, 0]", "features[1]", "0", "the network's stages are 1 to 4 (layer1 to layer4)")]
    [InlineData("features: [2, 4, 2]", "features[2]", "2", "stage 2 is already listed")]
    public void AStageThatCannotBeReturnedIsReportedAtItsEntry(string line, string entry, string value, string reason)
    {
        var text = "name: Bad\nfamily: scalenet\ndepth: 50\nallocation_file: scalenet50.json\n" + line + "\n";
        var files = GeneratorHarness.RepositoryFiles().Where(f => f.Path.EndsWith("scalenet50.json", StringComparison.Ordinal))
            .Append(GeneratorHarness.Spec("bad.model.yaml", text));
        var diagnostic = Assert.Single(GeneratorHarness.Run(files).Diagnostics);
        Assert.Equal("DSL0023", diagnostic.Id);
        Assert.Equal("'" + entry + "' is " + value + ": " + reason, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        var span = diagnostic.Location.SourceSpan;
        Assert.Equal(text.LastIndexOf(value, StringComparison.Ordinal), span.Start);
        Assert.Equal(value, text.Substring(span.Start, span.Length));
    }

    /// <summary>The generator's output for <paramref name="files"/> and any further sources, compiled with the runtime.</summary>
    private static Compilation Compile(IEnumerable<AdditionalText> files, params string[] sources)
    {
        var compilation = GeneratedSourceTests.CompilationWithRuntime()
            .AddSyntaxTrees(sources.Select(s => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions)));
        GeneratorHarness.CreateDriver(files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        return output;
    }

    private static object? Constant(INamedTypeSymbol type, string name)
    {
        var field = Assert.Single(type.GetMembers(name).OfType<IFieldSymbol>());
        Assert.True(field.IsConst, name + " is not a compile-time constant");
        return field.ConstantValue;
    }

    private static string GeneratedSource(Compilation compilation, string className) =>
        compilation.SyntaxTrees.Single(t => Path.GetFileName(t.FilePath) == className + ".g.cs").ToString();
}
