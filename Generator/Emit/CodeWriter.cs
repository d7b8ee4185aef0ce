using System.Text;

namespace Dsl.Generator.Emit;

/// <summary>Builds source text with four-space indentation and "\n" line ends, whatever the host platform.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder text = new();
    private int depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0) text.Append(' ', depth * 4).Append(line);
        text.Append('\n');
        return this;
    }

    public CodeWriter Open(string line)
    {
        Line(line);
        Line("{");
        depth++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        depth--;
        return Line("}" + suffix);
    }

    public CodeWriter Indent()
    {
        depth++;
        return this;
    }

    public CodeWriter Outdent()
    {
        depth--;
        return this;
    }

    public override string ToString() => text.ToString();
}
