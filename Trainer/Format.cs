using System.Globalization;

namespace Dsl.Trainer;

internal static class Format
{
    /// <summary>1234567 → "1.23M", as papers quote parameter and MAC counts.</summary>
    public static string Count(long value) => value switch
    {
        >= 1_000_000_000 => (value / 1e9).ToString("F2", CultureInfo.InvariantCulture) + "G",
        >= 1_000_000 => (value / 1e6).ToString("F2", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1e3).ToString("F1", CultureInfo.InvariantCulture) + "K",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}
