using System.CommandLine;
using System.Globalization;
using Dsl.Runtime.Models;
using Spectre.Console;

namespace Dsl.Trainer.Commands;

/// <summary><c>dsl list</c>: the catalog as a table.</summary>
public static class ListCommand
{
    public static Command Create(IReadOnlyList<ModelInfo> catalog, IAnsiConsole console)
    {
        var command = new Command("list", "list the models the catalog can build");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumns("model", "family", "input", "classes", "parameters", "MACs");
            foreach (var m in catalog)
                table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.Family), $"{m.InputChannels}x{m.InputHeight}x{m.InputWidth}",
                    m.Classes.ToString(CultureInfo.InvariantCulture), Format.Count(m.ParameterCount), Format.Count(m.MultiplyAdds));
            console.Write(table);
            return 0;
        });
        return command;
    }
}
