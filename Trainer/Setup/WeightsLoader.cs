using Dsl.Runtime;
using Dsl.Runtime.Nn;
using Dsl.Runtime.Training;

namespace Dsl.Trainer.Setup;

/// <summary>Loads weights for --weights from a checkpoint written by this trainer.</summary>
public static class WeightsLoader
{
    public static LoadReport Load(Module model, string path, bool strict, ICheckpointStore store)
    {
        if (!File.Exists(path)) throw new UsageException($"weights file '{path}' does not exist");
        using var state = store.Load(path);
        return model.LoadStateDict(state.Model, strict);
    }
}
