using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Dsl.Trainer.Commands;

/// <summary><c>dsl list</c>: the catalog as a table.</summary>
public static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "list the models the catalog can build");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumns("model", "family", "input", "classes", "parameters", "MACs");
            foreach (var m in context.Catalog)
                table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.Family), $"{m.InputChannels}x{m.InputHeight}x{m.InputWidth}",
                    m.Classes.ToString(CultureInfo.InvariantCulture), Format.Count(m.ParameterCount), Format.Count(m.MultiplyAdds));
            context.Console.Write(table);
            return 0;
        });
        return command;
    }
}
