using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Generator.Diagnostics;

/// <summary>A range of a spec file: character offsets and zero-based line/column positions.</summary>
public readonly record struct SourceSpan(int Start, int End, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static SourceSpan FileStart => new(0, 0, 0, 0, 0, 0);

    public Location ToLocation(string path) =>
        Location.Create(path, TextSpan.FromBounds(Start, End < Start ? Start : End),
            new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
