namespace Dsl.Runtime.Models;

/// <summary>One row of a model summary: a module (by state-dict prefix), its kind, output shape for one image and cost.</summary>
public sealed record LayerSummary(string Name, string Kind, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds);
