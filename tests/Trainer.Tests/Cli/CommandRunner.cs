using Dsl.Runtime.Models;

namespace Dsl.Trainer.Tests.Cli;

/// <summary>Runs the <c>dsl</c> command line in process on a plain console, as a pipe gets it, and captures what it prints.</summary>
internal static class CommandRunner
{
    public static (int Code, string Output, string Error) Run(IReadOnlyList<ModelInfo> catalog, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = DslCommandLine.Run(args, catalog, Terminal.Plain(output), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
