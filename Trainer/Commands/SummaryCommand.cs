using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Dsl.Trainer.Commands;

/// <summary><c>dsl summary [--model] MODEL</c>: every layer with its output shape, parameters and multiply-adds, and totals.</summary>
public static class SummaryCommand
{
    public static Command Create(CliContext context)
    {
        var console = context.Console;
        var option = CliContext.ModelOption();
        var positional = new Argument<string?>("model") { Description = "the same as --model", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("summary", "print a model's layer table") { option, positional };
        command.SetAction(parse =>
        {
            var named = parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
            if (named is not null && parse.GetValue(positional) is not null) throw new UsageException("give the model once: MODEL or --model MODEL");
            var entry = context.ResolveModel(named ?? parse.GetValue(positional) ?? CliContext.DefaultModel);
            var table = new Table().AddColumns("layer", "kind", "output shape", "parameters", "MACs");
            foreach (var layer in entry.Layers)
                table.AddRow(Markup.Escape(layer.Name), Markup.Escape(layer.Kind), string.Join("x", layer.OutputShape),
                    layer.Parameters.ToString("N0", CultureInfo.InvariantCulture), layer.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture));
            table.AddEmptyRow();
            table.AddRow("[bold]total[/]", "", $"{entry.Classes}",
                entry.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), entry.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture));
            console.MarkupLine($"[bold]{Markup.Escape(entry.Name)}[/] ({Markup.Escape(entry.Family)}), input {entry.InputChannels}x{entry.InputHeight}x{entry.InputWidth}, {entry.Classes} classes");
            console.Write(table);
            console.WriteLine($"Parameters: {Format.Count(entry.ParameterCount)}   MACs: {Format.Count(entry.MultiplyAdds)}");
            return 0;
        });
        return command;
    }
}
