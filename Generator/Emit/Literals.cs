using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Dsl.Generator.Emit;

/// <summary>C# literals in invariant culture; strings fully escaped so no spec text can end a literal.</summary>
internal static class Literals
{
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Long(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    /// <summary>The shortest text that reads back as the same double.</summary>
    public static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ints(IEnumerable<int> values) => "[" + string.Join(", ", values.Select(Int)) + "]";

    public static string Longs(IEnumerable<long> values) => "[" + string.Join(", ", values.Select(Long)) + "]";

    public static string String(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\') builder.Append('\\').Append(c);
            else if (c < ' ' || c > '~') builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Text safe inside an XML doc comment on one line.</summary>
    public static string DocText(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            if (c == '<') builder.Append("&lt;");
            else if (c == '>') builder.Append("&gt;");
            else if (c == '&') builder.Append("&amp;");
            else if (c < ' ' || c > '~') builder.Append('?');
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
