using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dsl.Generator.Specs;
using Dsl.Runtime.Training;

namespace Dsl.Generator.Tests;

/// <summary>Every place that names a field of the training recipe agrees with <see cref="TrainingFields"/>.</summary>
public sealed class TrainingFieldTests
{
    public static TheoryData<string> Keys => [.. TrainingFields.Keys];

    private static TrainingField Field(string key) => TrainingFields.All.Single(f => f.Key == key);

    [Theory]
    [MemberData(nameof(Keys))]
    public void SchemaHasTheFieldsTypeDefaultAndChoices(string key)
    {
        var field = Field(key);
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Structures, "schema.json")));
        var property = schema.RootElement.GetProperty("properties").GetProperty("training").GetProperty("properties").GetProperty(key);
        var @default = property.GetProperty("default");
        if (field.Choices is { } choices)
        {
            Assert.Equal(choices.Select(c => c.Key), property.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(field.Default, @default.GetString());
        }
        else
        {
            Assert.Equal(field.Type, property.GetProperty("type").GetString());
            Assert.Equal(double.Parse(field.Default, CultureInfo.InvariantCulture), @default.GetDouble());
            var range = field.Range!;
            Assert.Equal(range.Minimum, property.GetProperty(range.ExclusiveMinimum ? "exclusiveMinimum" : "minimum").GetDouble());
            Assert.Equal(range.Maximum, property.GetProperty(range.ExclusiveMaximum ? "exclusiveMaximum" : "maximum").GetDouble());
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void TheRuntimesDefaultRecipeHasTheFieldsDefault(string key)
    {
        var field = Field(key);
        var property = typeof(TrainingRecipe).GetProperty(field.Member)!;
        var value = property.GetValue(TrainingRecipe.Default)!;
        if (field.Choices is { } choices)
        {
            Assert.Equal(field.ChoiceType, property.PropertyType.Name);
            Assert.Equal(choices.Single(c => c.Key == field.Default).Value, value.ToString());
        }
        else
            Assert.Equal(double.Parse(field.Default, CultureInfo.InvariantCulture), Convert.ToDouble(value, CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void TheSpecReadmeShowsTheFieldWithItsDefault(string key)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Structures, "README.md"));
        Assert.Matches(new Regex("^  " + Regex.Escape(key + ": " + Field(key).Default) + @"(\s|$)", RegexOptions.Multiline), readme);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void TheTrainingDocsNameTheFieldsFlag(string key)
    {
        if (Field(key).Flags is not [var flag, ..]) return;
        var table = File.ReadLines(Path.Combine(RepositoryPaths.Root, "docs", "training.md")).Where(line => line.StartsWith('|'));
        Assert.Contains(table, line => Regex.IsMatch(line, "`" + Regex.Escape(flag) + "[` ]"));
    }
}
