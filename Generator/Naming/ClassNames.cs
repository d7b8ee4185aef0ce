using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Dsl.Generator.Naming;

/// <summary>
/// How a canonical model name becomes a C# class name: the name is split at '-', '_', '.' and spaces, each
/// part gets an upper-case first letter, and the parts are joined; an underscore separates two parts when
/// digits would otherwise run together ("bLResNeXt-101-64x4d" → BLResNeXt101_64x4d,
/// "ScaleNet-50-light" → ScaleNet50Light). Names must start with a letter and hold only ASCII letters,
/// digits and those separators, so a name can never carry code into the generated source.
/// </summary>
public static class ClassNames
{
    public const int MaxLength = 100;

    public static string? FromCanonicalName(string name, out string? problem)
    {
        problem = null;
        if (name.Length == 0) problem = "it is empty";
        else if (name.Length > MaxLength) problem = "it is longer than " + MaxLength + " characters";
        else if (!IsAsciiLetter(name[0])) problem = "it must start with an ASCII letter";
        else
        {
            foreach (var c in name)
            {
                if (IsAsciiLetter(c) || IsDigit(c) || IsSeparator(c)) continue;
                problem = "character '" + (c < ' ' || c > '~' ? "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()) +
                          "' is not allowed (use letters, digits, '-', '_', '.' or spaces)";
                break;
            }
        }
        if (problem is not null) return null;

        var result = new StringBuilder();
        foreach (var part in name.Split('-', '_', '.', ' '))
        {
            if (part.Length == 0) continue;
            if (result.Length > 0 && IsDigit(result[result.Length - 1]) && IsDigit(part[0])) result.Append('_');
            result.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }
        var className = result.ToString();
        if (ReservedNames.IsTaken(className))
        {
            problem = "'" + className + "' is a name the generated code uses itself";
            return null;
        }
        return className;
    }

    private static bool IsAsciiLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsSeparator(char c) => c is '-' or '_' or '.' or ' ';
}
