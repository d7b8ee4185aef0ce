using System.Collections.Generic;
using Dsl.Generator.Diagnostics;

namespace Dsl.Generator.Parsing;

/// <summary>A node of a spec document with the exact range it came from, so every key and value can be pointed at.</summary>
public abstract class SpecNode(SourceSpan span)
{
    public SourceSpan Span { get; } = span;

    /// <summary>How the node is named in messages ("a mapping", "string 'abc'").</summary>
    public abstract string Describe();
}

public sealed class ScalarNode(SourceSpan span, string value, bool quoted) : SpecNode(span)
{
    public string Value { get; } = value;

    /// <summary>Quoted scalars are always strings; plain ones may be numbers, booleans or null.</summary>
    public bool Quoted { get; } = quoted;

    public bool IsNull => !Quoted && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string Describe()
    {
        if (IsNull) return "null";
        var shown = Value.Length > 40 ? Value.Substring(0, 40) + "..." : Value;
        return (Quoted || !ScalarValues.LooksNumeric(Value) ? "string '" : "number '") + shown + "'";
    }
}

public sealed class SequenceNode(SourceSpan span, IReadOnlyList<SpecNode> items) : SpecNode(span)
{
    public IReadOnlyList<SpecNode> Items { get; } = items;

    public override string Describe() => "a list";
}

public sealed class MappingNode(SourceSpan span, IReadOnlyList<KeyValuePair<ScalarNode, SpecNode>> entries) : SpecNode(span)
{
    public IReadOnlyList<KeyValuePair<ScalarNode, SpecNode>> Entries { get; } = entries;

    public override string Describe() => "a mapping";
}
