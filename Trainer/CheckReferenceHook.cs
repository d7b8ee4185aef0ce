using System.CommandLine;
using Dsl.Trainer.Commands;
using Dsl.Runtime.Models;
using Spectre.Console;

namespace Dsl.Trainer;

public static partial class DslCommandLine
{
    static partial void AddCheckReference(RootCommand root, IReadOnlyList<ModelInfo> catalog, IAnsiConsole console, TextWriter output) =>
        root.Subcommands.Add(CheckReferenceCommand.Create(output));
}
