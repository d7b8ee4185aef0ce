using System.Globalization;
using System.CommandLine;
using Dsl.Runtime.Models;
using Dsl.Runtime.Onnx;
using Dsl.Trainer.Models;
using Dsl.Trainer.Setup;

namespace Dsl.Trainer.Commands;

/// <summary>
/// <c>dsl export --model NAME|FILE [--weights FILE [--ema-weights]] --output FILE.onnx [--opset N] [--input-size N]
/// [--features 2,3,4]</c>: the model's float32 inference form as an ONNX graph (input <c>input</c>, output <c>logits</c> and the
/// asked stages' feature maps <c>stage{k}</c>, batch dynamic), weights loaded as eval loads them.
/// </summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Output;
        var flags = new TrainingFlags();
        var target = new Option<string>("--output", "-o") { Description = "the .onnx file to write", Required = true };
        var opset = new Option<int?>("--opset") { Description = $"ONNX operator set, {OnnxOpset.Oldest} to {OnnxOpset.Newest} ({OnnxOpset.Default})" };
        var features = new Option<string?>("--features")
        { Description = "stages whose feature maps are also outputs (stage1..stage4): a list such as 2,3,4, or all" };
        var command = new Command("export", "write a model's inference form as an ONNX file")
        {
            flags.Model, flags.Weights, flags.EmaWeights, flags.Strict, flags.InputSize, target, opset, features,
        };
        command.SetAction(parse =>
        {
            var entry = context.ResolveModel(parse.GetValue(flags.Model)!);
            var options = Options(parse.GetValue(opset), parse.GetValue(flags.InputSize), Stages(parse.GetValue(features)));
            var path = parse.GetValue(target)!;
            using var model = entry.Create();
            WeightsLoader.Load(model, flags, parse, output);
            model.eval();
            OnnxExportResult result;
            try
            {
                result = OnnxExport.Save(model, path, options);
            }
            catch (OnnxExportException e)
            {
                throw new InvalidOperationException($"cannot export {entry.Name}: {e.Message}", e);
            }
            output.WriteLine($"{result.Model}: wrote {path} (opset {result.Opset}, input [batch, {result.Channels}, {result.Height}, {result.Width}], " +
                $"{result.Classes} classes, {result.Nodes} nodes, {Format.Count(result.Bytes)} bytes)"
                + (options.Features is { } stages ? $"; feature maps {string.Join(", ", stages.Select(OnnxExport.FeatureOutputName))}" : ""));
            return 0;
        });
        return command;
    }

    /// <summary>The export's options; an opset out of range or a side under 1 is a usage error.</summary>
    private static OnnxExportOptions Options(int? opset, int? inputSize, IReadOnlyList<int>? features)
    {
        try
        {
            OnnxOpset.Resolve(opset);
        }
        catch (OnnxExportException e)
        {
            throw new UsageException("--opset: " + e.Message);
        }
        if (inputSize is < 1) throw new UsageException($"--input-size must be at least 1, not {inputSize}");
        return new OnnxExportOptions(opset, inputSize, inputSize, features);
    }

    /// <summary>--features: "all" (stages 1 to 4) or comma-separated stage numbers, each 1 to 4, ascending and once each.</summary>
    private static IReadOnlyList<int>? Stages(string? text)
    {
        if (text is null) return null;
        if (text.Trim() == "all") return [1, 2, 3, 4];
        var stages = new SortedSet<int>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var stage) || stage is < 1 or > 4)
                throw new UsageException($"--features: '{item}' is not a stage number from 1 to 4 (give a list such as 2,3,4, or all)");
            stages.Add(stage);
        }
        return [.. stages];
    }
}
