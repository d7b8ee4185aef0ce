using Dsl.Runtime.Checkpoints;

namespace Dsl.Runtime.Training;

/// <summary>Where the training loop saves and reads its checkpoints.</summary>
public interface ICheckpointStore
{
    /// <summary>Writes atomically: on failure the previous file is unchanged.</summary>
    void Save(TrainingCheckpoint checkpoint, string path);

    /// <summary>Reads a checkpoint; its tensors belong to the current <see cref="TensorScope"/>.</summary>
    TrainingCheckpoint Load(string path);
}

/// <summary>torch.save-compatible files (the original script's checkpoint.pth.tar layout).</summary>
public sealed class TorchCheckpointStore : ICheckpointStore
{
    private readonly Func<Stream, Stream>? wrap;

    public TorchCheckpointStore() { }

    /// <param name="wrap">Puts a stream between the writer and the file, to test failing writes.</param>
    internal TorchCheckpointStore(Func<Stream, Stream> wrap) => this.wrap = wrap;

    public void Save(TrainingCheckpoint checkpoint, string path) => checkpoint.Save(path, wrap);

    public TrainingCheckpoint Load(string path) => TrainingCheckpoint.Load(path);
}
