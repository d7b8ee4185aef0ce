namespace Dsl.Trainer.Specs;

/// <summary>A spec that does not build: its diagnostics, one line each, as the compiler prints them (<c>path(line,col): error DSLnnnn: message</c>).</summary>
public sealed class SpecCompilationException(string path, IReadOnlyList<string> diagnostics)
    : Exception($"spec '{path}' does not build:" + Environment.NewLine + string.Join(Environment.NewLine, diagnostics))
{
    public string SpecPath { get; } = path;

    public IReadOnlyList<string> Diagnostics { get; } = diagnostics;
}
