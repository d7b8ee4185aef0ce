using System.Text.Json;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Tests;

/// <summary>structures/schema.json completes what the parser reads, no more and no less.</summary>
public sealed class SchemaTests
{
    [Fact]
    public void SchemaPropertiesAreTheParsersKeys()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Structures, "schema.json")));
        var properties = schema.RootElement.GetProperty("properties");
        Assert.Equal(SpecParser.TopLevelKeys.Order(StringComparer.Ordinal), Names(properties));
        Assert.Equal(SpecParser.StemKeys.Order(StringComparer.Ordinal), Names(properties.GetProperty("stem").GetProperty("properties")));
        var training = properties.GetProperty("training").GetProperty("properties");
        Assert.Equal(TrainingSpec.Keys.Order(StringComparer.Ordinal), Names(training));
        Assert.Equal(TrainingSpec.Schedules.Select(c => c.Key), Choices(training, "schedule"));
        Assert.Equal(TrainingSpec.Augmentations.Select(c => c.Key), Choices(training, "augmentation"));
        Assert.Equal(TrainingSpec.Precisions.Select(c => c.Key), Choices(training, "precision"));
        Assert.Equal(TrainingSpec.MemoryFormats.Select(c => c.Key), Choices(training, "memory_format"));
    }

    private static IEnumerable<string> Names(JsonElement properties) =>
        properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Choices(JsonElement properties, string key) =>
        properties.GetProperty(key).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();
}
