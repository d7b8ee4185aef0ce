using Spectre.Console;

namespace Dsl.Trainer;

/// <summary>
/// The console <c>dsl</c> writes its tables to: Spectre's own on a terminal; plain text at full width where the output
/// is piped or redirected, or where <c>NO_COLOR</c> is set, so a pipe or a log gets no escape codes and no names
/// wrapped at 80 columns.
/// </summary>
public static class Terminal
{
    /// <summary>Wide enough for every table row on one line.</summary>
    public const int PlainWidth = 400;

    public static IAnsiConsole ForStandardOutput() =>
        Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            ? Plain(Console.Out)
            : AnsiConsole.Console;

    /// <summary>A console that writes plain text to <paramref name="output"/>: no ANSI codes, no colours, no wrapping.</summary>
    public static IAnsiConsole Plain(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = PlainWidth;
        return console;
    }
}
