namespace Dsl.Generator.Description;

/// <summary>An AdditionalFile that is not a spec (a ScaleNet allocation), looked up by the specs that name it.</summary>
public sealed record DataFile(string Path, string Text);
