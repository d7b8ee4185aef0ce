using System.Numerics;
using System.Text;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Short, readable descriptions of unpickled values for error messages. However deep or long a value from a
/// file is, the description stays a line: nesting, items and strings are cut after a few.
/// </summary>
internal static class PickleFormat
{
    private const int ShownDepth = 3;
    private const int ShownItems = 6;

    public static string Describe(object? value)
    {
        var text = new StringBuilder();
        Append(text, value, ShownDepth);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value, int depthLeft)
    {
        switch (value)
        {
            case object?[] tuple when depthLeft == 0:
                text.Append(tuple.Length == 0 ? "()" : "(...)");
                break;
            case object?[] tuple:
                text.Append('(');
                for (var i = 0; i < Math.Min(tuple.Length, ShownItems); i++)
                {
                    if (i > 0) text.Append(", ");
                    Append(text, tuple[i], depthLeft - 1);
                }
                text.Append(tuple.Length > ShownItems ? ", ...)" : ")");
                break;
            default:
                text.Append(Scalar(value));
                break;
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "None",
        string s => $"'{FileText.Shorten(s)}'",
        bool b => b ? "True" : "False",
        // Printing a huge integer in decimal takes time quadratic in its length.
        BigInteger big when big.GetByteCount() > 16 => $"a {big.GetBitLength()}-bit integer",
        byte[] bytes => $"{bytes.Length} bytes",
        List<object?> l => $"list of {l.Count}",
        PickleDict d => $"dict of {d.Count}",
        Tensor t => $"a {t.dtype} tensor of shape [{string.Join(", ", t.shape)}]",
        _ => FileText.Shorten(value.ToString() ?? value.GetType().Name),
    };
}
