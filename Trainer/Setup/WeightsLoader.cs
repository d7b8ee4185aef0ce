using Dsl.Runtime.Checkpoints;

namespace Dsl.Trainer.Setup;

/// <summary>Loads --weights: a PyTorch state dict or training checkpoint, or one of ours (module. prefixes removed).</summary>
public static class WeightsLoader
{
    public static LoadReport Load(nn.Module model, string path, bool strict)
    {
        if (!File.Exists(path)) throw new UsageException($"weights file '{path}' does not exist");
        return Checkpoint.LoadInto(model, path, strict);
    }
}
