using Dsl.Definitions;
using Dsl.Trainer;
using Spectre.Console;

return DslCommandLine.Run(args, BuiltInModels.Catalog.All, AnsiConsole.Console, Console.Out, Console.Error);
