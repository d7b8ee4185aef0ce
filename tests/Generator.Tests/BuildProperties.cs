using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Dsl.Generator.Tests;

/// <summary>MSBuild properties as the compiler hands them to generators (build_property.NAME global options).</summary>
internal sealed class BuildProperties(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
{
    /// <summary>What the Definitions project passes: its root namespace.</summary>
    public static BuildProperties Definitions { get; } = new(new Dictionary<string, string> { ["RootNamespace"] = "Dsl.Definitions" });

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(properties.ToImmutableDictionary(p => "build_property." + p.Key, p => p.Value));

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.None;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.None;

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static Options None { get; } = new(ImmutableDictionary<string, string>.Empty);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
