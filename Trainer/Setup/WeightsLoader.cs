using System.CommandLine;
using Dsl.Runtime.Checkpoints;
using Dsl.Trainer.Commands;

namespace Dsl.Trainer.Setup;

/// <summary>Loads --weights: a PyTorch state dict or training checkpoint, or one of ours (module. prefixes removed).</summary>
public static class WeightsLoader
{
    /// <param name="emaWeights">Take the checkpoint's moving average of the weights (its ema_state_dict) instead of its state_dict.</param>
    public static LoadReport Load(nn.Module model, string path, bool strict, bool emaWeights = false)
    {
        if (!File.Exists(path)) throw new UsageException($"weights file '{path}' does not exist");
        if (!emaWeights) return Checkpoint.LoadInto(model, path, strict);
        using var checkpoint = Checkpoint.Read(path);
        var average = checkpoint.NamedStateDict(TrainingCheckpoint.EmaStateDictKey) ?? throw TrainingCheckpoint.NoAverage(path);
        return StateDictLoader.Load(model, average, strict, path);
    }

    /// <summary>The weights that --weights, --ema-weights and --strict name, into the model (nothing without --weights); a
    /// warning on <paramref name="output"/> where they did not fit exactly.</summary>
    public static void Load(nn.Module model, TrainingFlags flags, ParseResult parse, TextWriter output)
    {
        var emaWeights = parse.GetValue(flags.EmaWeights);
        if (parse.GetValue(flags.Weights) is not { } weights)
        {
            if (emaWeights) throw new UsageException("--ema-weights takes the average of the weights in a checkpoint: give it with --weights");
            return;
        }
        var report = Load(model, weights, parse.GetValue(flags.Strict), emaWeights);
        if (!report.IsExact) output.WriteLine($"warning: weights '{weights}' did not match exactly: {report}");
    }
}
