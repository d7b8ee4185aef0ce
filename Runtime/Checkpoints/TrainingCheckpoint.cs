namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A resumable training snapshot in the original training script's layout
/// (<c>{'epoch', 'arch', 'state_dict', 'best_top1', 'optimizer'}</c>) plus the learning-rate schedule
/// name and the CPU random-generator state. <see cref="Epoch"/> is the number of finished epochs,
/// i.e. the epoch training resumes at, as the original script stores it.
/// </summary>
public sealed record TrainingCheckpoint(
    int Epoch,
    string Arch,
    IReadOnlyList<KeyValuePair<string, Tensor>> StateDict,
    double BestTop1,
    SgdState? Optimizer = null,
    string? ScheduleName = null,
    byte[]? RngState = null)
{
    /// <summary>The seed the run started from, kept so a resumed run can report it.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Writes the checkpoint atomically in torch.save's format (torch.load reads it).</summary>
    public void Save(string path) => Save(path, wrap: null);

    internal void Save(string path, Func<Stream, Stream>? wrap)
    {
        using var scope = new TensorScope();
        var root = new PickleDict
        {
            ["epoch"] = (long)Epoch,
            ["arch"] = Arch,
            ["state_dict"] = Checkpoint.ToOrderedDict(StateDict),
            ["best_top1"] = BestTop1,
            ["optimizer"] = Optimizer?.ToPickle(),
        };
        if (ScheduleName is not null) root["lr_schedule"] = ScheduleName;
        if (RngState is not null) root["rng_state"] = Tensor.FromArray(RngState, RngState.Length);
        if (Seed is not null) root["seed"] = Seed.Value;
        Checkpoint.Save(path, root, wrap);
    }

    /// <summary>
    /// Reads a training checkpoint, ours or one written by the original PyTorch script (<c>module.</c>
    /// prefixes are removed). Its tensors belong to the current <see cref="TensorScope"/>.
    /// </summary>
    public static TrainingCheckpoint Load(string path)
    {
        var checkpoint = Checkpoint.Read(path);
        try
        {
            if (checkpoint.Root is not PickleDict root || !root.ContainsKey("state_dict"))
                throw new CheckpointException(path, "is not a training checkpoint (no 'state_dict' entry)");
            var epoch = checkpoint["epoch"] is long e ? (int)e : throw Missing(path, "epoch", "an integer");
            var arch = checkpoint["arch"] as string ?? throw Missing(path, "arch", "a string");
            var best = checkpoint["best_top1"] switch
            {
                double d => d,
                long l => l,
                Tensor t => t.Item(),
                var other => throw Missing(path, "best_top1", $"a number (found {PickleFormat.Describe(other)})"),
            };
            var optimizer = checkpoint["optimizer"] is { } o ? SgdState.FromPickle(o, path) : null;
            var schedule = checkpoint["lr_schedule"] as string;
            var rng = checkpoint["rng_state"] switch
            {
                null => null,
                Tensor { DType: DType.UInt8 } t => t.ToArray<byte>(),
                var other => throw Missing(path, "rng_state", $"a uint8 tensor (found {PickleFormat.Describe(other)})"),
            };
            var seed = checkpoint["seed"] switch
            {
                null => (ulong?)null,
                long l when l >= 0 => (ulong)l,
                System.Numerics.BigInteger b when b >= 0 && b <= ulong.MaxValue => (ulong)b,
                var other => throw Missing(path, "seed", $"a non-negative integer (found {PickleFormat.Describe(other)})"),
            };
            return new TrainingCheckpoint(epoch, arch, checkpoint.StateDict(), best, optimizer, schedule, rng) { Seed = seed };
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    private static CheckpointException Missing(string path, string key, string what) =>
        new(path, $"'{key}' must be {what}");
}
