using Dsl.Trainer;
using Dsl.Trainer.Models;
using Spectre.Console;

return DslCommandLine.Run(args, BuiltInCatalog.Instance, AnsiConsole.Console, Console.Out, Console.Error);
