namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Refuses unpickled values nested deeper than <see cref="MaxDepth"/> containers, or holding themselves, so that
/// code walking them recursively (describing, comparing, writing them again) cannot run out of stack. The check
/// itself keeps its path on the heap and visits each shared container once.
/// </summary>
internal static class PickleNesting
{
    /// <summary>Real checkpoints nest a handful of levels (training state, optimizer, param groups, lists).</summary>
    public const int MaxDepth = 100;

    /// <summary>The problem with the value's nesting, or null when it has none.</summary>
    public static string? Problem(object? root)
    {
        if (!IsContainer(root)) return null;
        var heights = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var open = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var path = new Stack<Frame>();
        Enter(root!);
        while (path.TryPeek(out var frame))
        {
            if (!frame.Children.MoveNext())
            {
                path.Pop();
                open.Remove(frame.Container);
                heights[frame.Container] = frame.Tallest + 1;
                if (path.TryPeek(out var parent)) parent.Tallest = Math.Max(parent.Tallest, frame.Tallest + 1);
                continue;
            }
            var child = frame.Children.Current;
            if (!IsContainer(child)) continue;
            if (open.Contains(child!)) return $"a {Kind(child)} contains itself";
            if (!heights.TryGetValue(child!, out var height))
            {
                if (path.Count == MaxDepth) return TooDeep;
                Enter(child!);
            }
            else if (path.Count + height > MaxDepth) return TooDeep;
            else frame.Tallest = Math.Max(frame.Tallest, height);
        }
        return null;

        void Enter(object container)
        {
            open.Add(container);
            path.Push(new Frame(container, Children(container).GetEnumerator()));
        }
    }

    private static string TooDeep => $"containers are nested more than {MaxDepth} levels deep";

    private static bool IsContainer(object? value) => value is object?[] or List<object?> or PickleDict or PickleSet;

    private static string Kind(object? container) => container switch
    {
        object?[] => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        _ => "set",
    };

    private static IEnumerable<object?> Children(object container) => container switch
    {
        object?[] tuple => tuple,
        List<object?> list => list,
        PickleDict dict => dict.SelectMany(e => new[] { e.Key, e.Value }).Append(dict.Attributes),
        PickleSet set => set.Items,
        _ => [],
    };

    private sealed class Frame(object container, IEnumerator<object?> children)
    {
        public object Container { get; } = container;
        public IEnumerator<object?> Children { get; } = children;

        /// <summary>The height of the tallest child container seen so far.</summary>
        public int Tallest { get; set; }
    }
}
