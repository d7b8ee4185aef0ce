using Dsl.Definitions;
using Dsl.Trainer;
using Spectre.Console;

return DslCommandLine.Run(args, ModelCatalog.All, AnsiConsole.Console, Console.Out, Console.Error);
