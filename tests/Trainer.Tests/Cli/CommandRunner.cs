using Dsl.Runtime.Models;
using Spectre.Console;

namespace Dsl.Trainer.Tests.Cli;

/// <summary>Runs the <c>dsl</c> command line in process on a plain, 200-column console and captures what it prints.</summary>
internal static class CommandRunner
{
    public static (int Code, string Output, string Error) Run(IReadOnlyList<ModelInfo> catalog, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var code = DslCommandLine.Run(args, catalog, console, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
