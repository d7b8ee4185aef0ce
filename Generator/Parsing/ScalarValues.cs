using System.Globalization;

namespace Dsl.Generator.Parsing;

/// <summary>Interprets plain scalars the way the YAML 1.2 core schema (and JSON) read them.</summary>
public static class ScalarValues
{
    public static bool LooksNumeric(string text)
    {
        if (text.Length == 0) return false;
        var start = text[0] == '-' || text[0] == '+' ? 1 : 0;
        if (start == text.Length) return false;
        var digits = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= '0' && c <= '9') digits++;
            else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+' && c != '_') return false;
        }
        return digits > 0;
    }

    public static bool IsInteger(string text)
    {
        if (text.Length == 0) return false;
        var start = text[0] == '-' || text[0] == '+' ? 1 : 0;
        if (start == text.Length) return false;
        for (var i = start; i < text.Length; i++)
            if (text[i] < '0' || text[i] > '9') return false;
        return true;
    }

    /// <summary>Reads an integer; numbers too large for a long come back as null, never as a wrapped value.</summary>
    public static long? ParseInteger(string text) =>
        IsInteger(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Reads a finite number (integer, decimal or exponent form); anything else comes back as null.</summary>
    public static double? ParseNumber(string text) =>
        LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && !double.IsNaN(value) && !double.IsInfinity(value)
            ? value
            : null;

    public static bool? ParseBoolean(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };
}
