using System.CommandLine;
using System.Globalization;
using Dsl.Runtime;
using Dsl.Runtime.Models;
using Dsl.Trainer.Commands;

namespace Dsl.Trainer.Platform;

/// <summary>
/// <c>dsl check-onednn</c> (hidden): <see cref="OneDnnModelCheck"/> of one model in the given layouts, one line per layout;
/// exit code 0 where oneDNN agrees in all, 1 where it does not. <see cref="Setup.OneDnnAdmission"/> runs it in a child
/// process, which a crash of oneDNN ends without taking the run with it.
/// </summary>
public static class CheckOneDnnCommand
{
    public const string Name = "check-onednn";

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Required = true };
        var shape = new Option<string>("--shape") { Required = true, Description = "N,C,H,W" };
        var layouts = new Option<string>("--layouts") { Required = true, Description = "nchw, nhwc or both, comma-separated" };
        var command = new Command(Name, "check that oneDNN computes a model's bfloat16 results right on this CPU") { Hidden = true };
        command.Add(model);
        command.Add(shape);
        command.Add(layouts);
        command.SetAction(parse =>
        {
            var entry = context.ResolveModel(parse.GetValue(model)!);
            long[] input = [.. parse.GetValue(shape)!.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture))];
            var agrees = true;
            foreach (var layout in parse.GetValue(layouts)!.Split(','))
            {
                if (layout is not ("nchw" or "nhwc")) throw new UsageException($"--layouts: '{layout}' is not nchw or nhwc");
                var result = OneDnnModelCheck.Measure(entry.Create, input, channelsLast: layout == "nhwc");
                context.Output.WriteLine(result);
                agrees &= result.Agrees;
            }
            return agrees ? 0 : 1;
        });
        return command;
    }
}
