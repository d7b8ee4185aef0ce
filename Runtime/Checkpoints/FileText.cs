using System.Globalization;
using System.Text;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Text read from a file, made safe to print: control and format characters (which can move a terminal's cursor,
/// recolour it or reorder the line) are escaped, and <see cref="Shorten"/> cuts what could fill the screen.
/// </summary>
internal static class FileText
{
    /// <summary>How many characters of one string from a file an error message shows.</summary>
    public const int ShownLength = 120;

    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ when !NeedsEscape(c) => c.ToString(),
                _ when c < 0x100 => $@"\x{(int)c:x2}",
                _ => $@"\u{(int)c:x4}",
            });
        return escaped.ToString();
    }

    /// <summary>The text escaped, and cut to <see cref="ShownLength"/> characters with its full length noted.</summary>
    public static string Shorten(string text) =>
        text.Length <= ShownLength ? Escape(text) : $"{Escape(text[..ShownLength])}... ({text.Length} characters)";

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c)
            is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
