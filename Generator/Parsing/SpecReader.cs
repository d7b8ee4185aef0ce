using System;
using System.Collections.Generic;
using System.IO;
using Dsl.Generator.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Turns spec text into a <see cref="SpecNode"/> tree from YamlDotNet's parser events, keeping each event's
/// start and end marks. JSON files go through the same parser (JSON is YAML's flow style) with extra checks
/// that reject what JSON does not allow. Hostile input is bounded: text length, nesting depth, node count
/// (aliases count with the size of what they repeat) and scalar length.
/// </summary>
public sealed class SpecReader
{
    public const int MaxCharacters = 1_000_000;
    public const int MaxDepth = 32;
    public const int MaxNodes = 50_000;
    public const int MaxScalarLength = 4_096;

    private readonly string path;
    private readonly bool json;
    private readonly List<DiagnosticInfo> diagnostics = [];
    private readonly Stack<Frame> frames = new();
    private readonly Dictionary<string, SpecNode> anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<SpecNode, int> sizes = new(ReferenceEqualityComparer.Instance);
    private string text = "";
    private SpecNode? root;
    private int nodeCount;
    private int documents;

    private SpecReader(string path, bool json) => (this.path, this.json) = (path, json);

    public static bool IsJsonPath(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a whole document. The root is null when the text could not be read; the reasons are in the diagnostics.</summary>
    public static (SpecNode? Root, IReadOnlyList<DiagnosticInfo> Diagnostics) Read(string path, string text)
    {
        var reader = new SpecReader(path, IsJsonPath(path));
        var ok = reader.Run(text);
        return (ok ? reader.root : null, reader.diagnostics);
    }

    private string Language => json ? "JSON" : "YAML";

    private bool Run(string text)
    {
        this.text = text;
        if (text.Length > MaxCharacters)
            return Fail(DiagnosticCatalog.LimitExceeded, SourceSpan.FileStart,
                $"the file has {text.Length} characters; at most {MaxCharacters} are read");
        var scanner = new Scanner(new StringReader(text), skipComments: !json);
        try
        {
            var parser = new Parser(scanner);
            while (parser.MoveNext())
                if (!Handle(parser.Current!)) return false;
            if (root is null)
                return Fail(DiagnosticCatalog.SyntaxError, SourceSpan.FileStart, Language, "the file is empty");
            return true;
        }
        catch (YamlException e)
        {
            // Some scanner errors carry no position; the scanner's own position is where it stopped.
            var span = e.Start.Index == 0 && e.End.Index == 0 ? ToSpan(scanner.CurrentPosition, scanner.CurrentPosition) : ToSpan(e.Start, e.End);
            return FailUnclosed(span.Start) || Fail(DiagnosticCatalog.SyntaxError, span, Language, CleanMessage(e.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed flow collections (an unclosed '[' before a new key).
            var span = ToSpan(scanner.CurrentPosition, scanner.CurrentPosition);
            return FailUnclosed(span.Start) ||
                   Fail(DiagnosticCatalog.SyntaxError, span, Language, "cannot read on from here; is a '[' or '{' left unclosed?");
        }
    }

    /// <summary>
    /// YamlDotNet reports a bracket that is never closed where it gave up reading, often the end of the file.
    /// When a '[' or '{' is still open there and no closing bracket of its kind follows anywhere in the text, the
    /// opening bracket is the mistake, so the error points at it. Returns false (and reports nothing) otherwise.
    /// </summary>
    private bool FailUnclosed(int failedAt)
    {
        foreach (var frame in frames)
        {
            if (!frame.Flow) continue;
            var closing = frame.IsMapping ? '}' : ']';
            if (text.IndexOf(closing, Math.Min(failedAt, text.Length)) >= 0) return false;
            var at = frame.Start;
            var span = new SourceSpan((int)at.Index, (int)at.Index + 1, (int)at.Line - 1, (int)at.Column - 1, (int)at.Line - 1, (int)at.Column);
            Fail(DiagnosticCatalog.SyntaxError, span, Language, "this '" + text[(int)at.Index] + "' is never closed");
            return true;
        }
        return false;
    }

    private bool Handle(ParsingEvent e)
    {
        switch (e)
        {
            case StreamStart or StreamEnd or DocumentEnd:
                return true;
            case DocumentStart:
                if (++documents > 1 && root is not null)
                    return Fail(DiagnosticCatalog.SyntaxError, ToSpan(e.Start, e.End), Language, "a spec holds exactly one document");
                return true;
            case Comment:
                return Fail(DiagnosticCatalog.SyntaxError, ToSpan(e.Start, e.End), Language, "comments are not allowed in JSON");
            case AnchorAlias alias:
                return HandleAlias(alias);
            case Scalar scalar:
                return HandleScalar(scalar);
            case MappingStart start:
                return Open(start, isMapping: true, start.Style == MappingStyle.Flow);
            case SequenceStart start:
                return Open(start, isMapping: false, start.Style == SequenceStyle.Flow);
            case MappingEnd or SequenceEnd:
                return Close(e);
            default:
                return Fail(DiagnosticCatalog.SyntaxError, ToSpan(e.Start, e.End), Language, "unexpected " + e.GetType().Name);
        }
    }

    private bool HandleScalar(Scalar scalar)
    {
        var span = ToSpan(scalar.Start, scalar.End);
        if (!CheckNodeProperties(scalar, span)) return false;
        if (scalar.Value.Length > MaxScalarLength)
            return Fail(DiagnosticCatalog.LimitExceeded, span, $"a value has {scalar.Value.Length} characters; at most {MaxScalarLength} are allowed");
        var isKey = frames.Count > 0 && frames.Peek().IsMapping && frames.Peek().PendingKey is null;
        if (json && !IsJsonScalar(scalar, isKey))
            return Fail(DiagnosticCatalog.SyntaxError, span, Language,
                isKey ? "keys must be double-quoted strings" : "'" + scalar.Value + "' is not a JSON value (strings need double quotes)");
        var node = new ScalarNode(span, scalar.Value, scalar.Style != ScalarStyle.Plain);
        return Add(node, scalar.Anchor, 1);
    }

    private static bool IsJsonScalar(Scalar scalar, bool isKey)
    {
        if (scalar.Style == ScalarStyle.DoubleQuoted) return true;
        if (isKey || scalar.Style != ScalarStyle.Plain) return false;
        var v = scalar.Value;
        return v is "true" or "false" or "null" || IsJsonNumber(v);
    }

    private static bool IsJsonNumber(string v)
    {
        var i = 0;
        if (i < v.Length && v[i] == '-') i++;
        var intStart = i;
        while (i < v.Length && char.IsDigit(v[i])) i++;
        if (i == intStart || (v[intStart] == '0' && i - intStart > 1)) return false;
        if (i < v.Length && v[i] == '.')
        {
            var fracStart = ++i;
            while (i < v.Length && char.IsDigit(v[i])) i++;
            if (i == fracStart) return false;
        }
        if (i < v.Length && (v[i] == 'e' || v[i] == 'E'))
        {
            i++;
            if (i < v.Length && (v[i] == '+' || v[i] == '-')) i++;
            var expStart = i;
            while (i < v.Length && char.IsDigit(v[i])) i++;
            if (i == expStart) return false;
        }
        return i == v.Length;
    }

    private bool HandleAlias(AnchorAlias alias)
    {
        var span = ToSpan(alias.Start, alias.End);
        if (json) return Fail(DiagnosticCatalog.SyntaxError, span, Language, "aliases are not allowed in JSON");
        if (!anchors.TryGetValue(alias.Value.Value, out var target))
            return Fail(DiagnosticCatalog.SyntaxError, span, Language, "alias '*" + alias.Value.Value + "' refers to no anchor");
        // The alias stands for a full copy of its target, so it costs the target's size: this stops expansion bombs.
        return Add(target, AnchorName.Empty, sizes[target]);
    }

    private bool Open(NodeEvent start, bool isMapping, bool flow)
    {
        var span = ToSpan(start.Start, start.End);
        if (!CheckNodeProperties(start, span)) return false;
        if (json && !flow)
            return Fail(DiagnosticCatalog.SyntaxError, span, Language, "expected '{' or '['");
        if (frames.Count >= MaxDepth)
            return Fail(DiagnosticCatalog.LimitExceeded, span, $"nesting deeper than {MaxDepth} levels");
        if (frames.Count > 0 && frames.Peek().IsMapping && frames.Peek().PendingKey is null)
            return Fail(DiagnosticCatalog.WrongType, span, "a key", "a plain string", isMapping ? "a mapping" : "a list");
        frames.Push(new Frame(isMapping, flow, start.Start, start.Anchor));
        return true;
    }

    private bool Close(ParsingEvent end)
    {
        if (json && TrailingComma(end.Start) is { } comma)
            return Fail(DiagnosticCatalog.SyntaxError, comma, Language, "a trailing comma before '" + text[(int)end.Start.Index] + "' is not allowed");
        var frame = frames.Pop();
        var span = ToSpan(frame.Start, end.End);
        SpecNode node = frame.IsMapping ? new MappingNode(span, frame.Entries) : new SequenceNode(span, frame.Items);
        var size = 1;
        foreach (var item in frame.Items) size += sizes[item];
        foreach (var entry in frame.Entries) size += 1 + sizes[entry.Value];
        // Children were counted when they were added; the container adds itself.
        return Add(node, frame.Anchor, 1, size);
    }

    private bool Add(SpecNode node, AnchorName anchor, int cost, int? size = null)
    {
        nodeCount += cost;
        if (nodeCount > MaxNodes)
            return Fail(DiagnosticCatalog.LimitExceeded, node.Span, $"more than {MaxNodes} values (aliases count every repetition)");
        sizes[node] = size ?? (sizes.TryGetValue(node, out var known) ? known : cost);
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
        if (frames.Count == 0)
        {
            root = node;
            return true;
        }
        var frame = frames.Peek();
        if (!frame.IsMapping)
        {
            frame.Items.Add(node);
        }
        else if (frame.PendingKey is null)
        {
            if (node is not ScalarNode key)
                return Fail(DiagnosticCatalog.WrongType, node.Span, "a key", "a plain string", node.Describe());
            frame.PendingKey = key;
        }
        else
        {
            frame.Entries.Add(new KeyValuePair<ScalarNode, SpecNode>(frame.PendingKey, node));
            frame.PendingKey = null;
        }
        return true;
    }

    /// <summary>YAML's flow style accepts "[1, 2,]"; JSON does not. Finds a comma right before a closing bracket.</summary>
    private SourceSpan? TrailingComma(Mark closing)
    {
        var i = (int)closing.Index - 1;
        if (i + 1 >= text.Length || text[i + 1] is not (']' or '}')) return null;
        while (i >= 0 && char.IsWhiteSpace(text[i])) i--;
        if (i < 0 || text[i] != ',') return null;
        var line = 0;
        var lineStart = 0;
        for (var k = 0; k < i; k++)
            if (text[k] == '\n') (line, lineStart) = (line + 1, k + 1);
        return new SourceSpan(i, i + 1, line, i - lineStart, line, i - lineStart + 1);
    }

    private bool CheckNodeProperties(NodeEvent e, SourceSpan span)
    {
        if (!json) return true;
        if (!e.Anchor.IsEmpty) return Fail(DiagnosticCatalog.SyntaxError, span, Language, "anchors are not allowed in JSON");
        if (!e.Tag.IsEmpty && !e.Tag.IsNonSpecific) return Fail(DiagnosticCatalog.SyntaxError, span, Language, "tags are not allowed in JSON");
        return true;
    }

    private bool Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, params object[] arguments)
    {
        diagnostics.Add(DiagnosticInfo.Create(descriptor, path, span, arguments));
        return false;
    }

    public static SourceSpan ToSpan(Mark start, Mark end) =>
        new((int)start.Index, (int)Math.Max(start.Index, end.Index), (int)Math.Max(0, start.Line - 1), (int)Math.Max(0, start.Column - 1),
            (int)Math.Max(0, end.Line - 1), (int)Math.Max(0, end.Column - 1));

    /// <summary>YamlDotNet prefixes messages with the position, which the diagnostic's location already gives.</summary>
    private static string CleanMessage(string message)
    {
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        var text = cut >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(cut + 3) : message;
        return text.Trim();
    }

    private sealed class Frame(bool isMapping, bool flow, Mark start, AnchorName anchor)
    {
        public bool IsMapping { get; } = isMapping;
        public bool Flow { get; } = flow;
        public Mark Start { get; } = start;
        public AnchorName Anchor { get; } = anchor;
        public List<SpecNode> Items { get; } = [];
        public List<KeyValuePair<ScalarNode, SpecNode>> Entries { get; } = [];
        public ScalarNode? PendingKey { get; set; }
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<SpecNode>
    {
        public static readonly ReferenceEqualityComparer Instance = new();
        public bool Equals(SpecNode? x, SpecNode? y) => ReferenceEquals(x, y);
        public int GetHashCode(SpecNode obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
