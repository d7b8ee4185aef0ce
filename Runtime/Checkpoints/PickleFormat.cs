namespace Dsl.Runtime.Checkpoints;

/// <summary>Short, readable descriptions of unpickled values for error messages.</summary>
internal static class PickleFormat
{
    public static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        object?[] t => "(" + string.Join(", ", t.Take(6).Select(Describe)) + (t.Length > 6 ? ", ..." : "") + ")",
        List<object?> l => $"list of {l.Count}",
        PickleDict d => $"dict of {d.Count}",
        Tensor t => $"a {t.dtype} tensor of shape [{string.Join(", ", t.shape)}]",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
