using System.CommandLine;
using Dsl.Runtime.Models;
using Dsl.Runtime.Onnx;
using Dsl.Trainer.Models;
using Dsl.Trainer.Setup;

namespace Dsl.Trainer.Commands;

/// <summary>
/// <c>dsl export --model NAME|FILE [--weights FILE [--ema-weights]] --output FILE.onnx [--opset N] [--input-size N]</c>: the model's
/// float32 inference form as an ONNX graph (input <c>input</c>, output <c>logits</c>, batch dynamic), weights loaded as eval loads them.
/// </summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var output = context.Output;
        var flags = new TrainingFlags();
        var target = new Option<string>("--output", "-o") { Description = "the .onnx file to write", Required = true };
        var opset = new Option<int?>("--opset") { Description = $"ONNX operator set, {OnnxOpset.Oldest} to {OnnxOpset.Newest} ({OnnxOpset.Default})" };
        var command = new Command("export", "write a model's inference form as an ONNX file")
        {
            flags.Model, flags.Weights, flags.EmaWeights, flags.Strict, flags.InputSize, target, opset,
        };
        command.SetAction(parse =>
        {
            var entry = context.ResolveModel(parse.GetValue(flags.Model)!);
            var options = Options(parse.GetValue(opset), parse.GetValue(flags.InputSize));
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
                $"{result.Classes} classes, {result.Nodes} nodes, {Format.Count(result.Bytes)} bytes)");
            return 0;
        });
        return command;
    }

    /// <summary>The export's options; an opset out of range or a side under 1 is a usage error.</summary>
    private static OnnxExportOptions Options(int? opset, int? inputSize)
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
        return new OnnxExportOptions(opset, inputSize, inputSize);
    }
}
