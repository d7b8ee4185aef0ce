using System.Collections;
using System.Reflection;

namespace Dsl.Generator.Tests;

/// <summary>
/// What every generator run must show: rerun on the same input, each tracked step gives equal outputs, served
/// from the cache (Cached or Unchanged), and no step output holds a compiler object that would pin a
/// compilation in memory and defeat caching.
/// </summary>
internal static class CachingAssertions
{
    /// <summary>Every step name the generator declares.</summary>
    public static IReadOnlyList<string> StepNames { get; } =
    [
        .. typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!),
    ];

    public static void AssertRunsEqual(GeneratorRunResult first, GeneratorRunResult second)
    {
        // The driver tracks steps of its own too (SourceOutput and others); the generator's steps are those named here.
        var names = first.TrackedSteps.Keys.Where(StepNames.Contains).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, second.TrackedSteps.Keys.Where(StepNames.Contains).Order(StringComparer.Ordinal));
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var firstSteps = first.TrackedSteps[name];
            var secondSteps = second.TrackedSteps[name];
            Assert.Equal(firstSteps.Length, secondSteps.Length);
            for (var i = 0; i < firstSteps.Length; i++)
            {
                Assert.Equal(firstSteps[i].Outputs.Select(o => o.Value), secondSteps[i].Outputs.Select(o => o.Value));
                Assert.All(secondSteps[i].Outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    name + " was " + o.Reason + " on an unchanged rerun"));
                foreach (var (value, _) in firstSteps[i].Outputs) AssertHoldsNoCompilerObjects(value, name);
            }
        }
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    /// <summary>Walks the object graph of a step output, failing at the first compiler object, with its path.</summary>
    public static void AssertHoldsNoCompilerObjects(object? value, string path) =>
        Walk(value, path, new HashSet<object>(ReferenceEqualityComparer.Instance));

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Assert.False(value is ISymbol or Compilation or SyntaxNode or SyntaxTree or SemanticModel or Location or Diagnostic or AdditionalText,
            path + " holds a " + value.GetType().Name);
        if (!value.GetType().IsValueType && !visited.Add(value)) return;
        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence) Walk(item, path + "[" + i++ + "]", visited);
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.GetValue(value), path + "." + field.Name, visited);
    }
}
