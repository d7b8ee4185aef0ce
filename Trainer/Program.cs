using Dsl.Definitions;
using Dsl.Trainer;

return DslCommandLine.Run(args, BuiltInModels.Catalog.All, Terminal.ForStandardOutput(), Console.Out, Console.Error);
