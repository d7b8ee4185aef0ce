using TorchSharp.Modules;

namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// A resumable training snapshot in the original training script's layout
/// (<c>{'epoch', 'arch', 'state_dict', 'best_top1', 'optimizer'}</c>) plus the learning-rate schedule name,
/// the CPU random-generator state and, for a run that averages its weights, <c>ema_state_dict</c> (an OrderedDict
/// like <c>state_dict</c>) and <c>ema_updates</c>. A loaded checkpoint owns its tensors (they belong to no dispose scope):
/// disposing it frees them.
/// </summary>
public sealed class TrainingCheckpoint : IDisposable
{
    // Other scripts derived from PyTorch's ImageNet example name the best accuracy these ways.
    private static readonly string[] BestTop1Keys = ["best_top1", "best_prec1", "best_acc1"];

    private readonly Checkpoint file;

    public const string EmaStateDictKey = "ema_state_dict";
    public const string EmaUpdatesKey = "ema_updates";

    private TrainingCheckpoint(Checkpoint file, TrainingProgress progress, IReadOnlyList<KeyValuePair<string, Tensor>> stateDict, SgdState? optimizer,
        IReadOnlyList<KeyValuePair<string, Tensor>>? emaStateDict, long emaUpdates)
    {
        this.file = file;
        Progress = progress;
        StateDict = stateDict;
        Optimizer = optimizer;
        EmaStateDict = emaStateDict;
        EmaUpdates = emaUpdates;
    }

    public string FilePath => file.FilePath;
    public TrainingProgress Progress { get; }

    /// <summary>The weights, keyed without a DataParallel <c>module.</c> prefix.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict { get; }

    /// <summary>The optimizer's state, or null when the file has none.</summary>
    public SgdState? Optimizer { get; }

    /// <summary>The moving average of the weights (the training loop's <c>WeightAverage</c>), or null when the run kept none.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>>? EmaStateDict { get; }

    /// <summary>How many updates <see cref="EmaStateDict"/> had taken (0 without one).</summary>
    public long EmaUpdates { get; }

    /// <summary>
    /// Writes the model's state dict (in PyTorch's key order), the optimizer's state (PyTorch's SGD layout) and the weights' average
    /// where there is one, atomically in torch.save's format, which torch.load reads. The model, optimizer and average are only read.
    /// </summary>
    /// <param name="average">The weights' moving average, keyed and ordered as the model's state dict, and its update count.</param>
    public static void Save(string path, TrainingProgress progress, nn.Module model, SGD? optimizer,
        (IReadOnlyList<KeyValuePair<string, Tensor>> StateDict, long Updates)? average = null)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(model);
        using var scope = torch.NewDisposeScope();
        var root = new PickleDict
        {
            ["epoch"] = (long)progress.Epoch,
            ["arch"] = progress.Arch,
            ["state_dict"] = Checkpoint.ToOrderedDict(PyTorchStateDict.Of(model)),
            ["best_top1"] = progress.BestTop1,
            ["optimizer"] = optimizer is null ? null : SgdState.Capture(optimizer).ToPickle(),
        };
        if (progress.ScheduleName is not null) root["lr_schedule"] = progress.ScheduleName;
        if (progress.RngState is not null) root["rng_state"] = torch.tensor(progress.RngState);
        if (average is { } ema)
        {
            root[EmaStateDictKey] = Checkpoint.ToOrderedDict(ema.StateDict);
            root[EmaUpdatesKey] = ema.Updates;
        }
        Checkpoint.Save(path, root);
    }

    /// <summary>Reads a training checkpoint, ours or one written by the original PyTorch script.</summary>
    public static TrainingCheckpoint Load(string path)
    {
        var checkpoint = Checkpoint.Read(path);
        try
        {
            if (checkpoint.Root is not PickleDict root || !root.ContainsKey("state_dict"))
                throw new CheckpointException(path, "is not a training checkpoint (no 'state_dict' entry)");
            var epoch = checkpoint["epoch"] is long e && e is >= 0 and <= int.MaxValue ? (int)e : throw Invalid(path, "epoch", "a non-negative integer");
            var arch = checkpoint["arch"] as string ?? throw Invalid(path, "arch", "a string");
            var bestKey = BestTop1Keys.FirstOrDefault(root.ContainsKey) ?? BestTop1Keys[0];
            var best = checkpoint[bestKey] switch
            {
                double d => d,
                long l => l,
                Tensor { shape.Length: 0 } t => t.ToDouble(),
                var other => throw Invalid(path, bestKey, $"a number (found {PickleFormat.Describe(other)})"),
            };
            var schedule = checkpoint["lr_schedule"] as string;
            var rng = checkpoint["rng_state"] switch
            {
                null => null,
                Tensor { dtype: ScalarType.Byte } t => t.data<byte>().ToArray(),
                var other => throw Invalid(path, "rng_state", $"a uint8 tensor (found {PickleFormat.Describe(other)})"),
            };
            var optimizer = checkpoint["optimizer"] is { } o ? SgdState.FromPickle(o, path) : null;
            var ema = checkpoint.NamedStateDict(EmaStateDictKey);
            var emaUpdates = checkpoint[EmaUpdatesKey] switch
            {
                null when ema is null => 0,
                long u and >= 0 when ema is not null => u,
                var other => throw Invalid(path, EmaUpdatesKey, $"a non-negative integer beside '{EmaStateDictKey}' (found {PickleFormat.Describe(other)})"),
            };
            return new TrainingCheckpoint(checkpoint, new TrainingProgress(epoch, arch, best, schedule, rng), checkpoint.StateDict(), optimizer,
                ema, emaUpdates);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>Copies the weights into a model (see <see cref="StateDictLoader.Load"/>); a strict mismatch names this file.</summary>
    public LoadReport LoadWeightsInto(nn.Module model, bool strict = true) => StateDictLoader.Load(model, StateDict, strict, FilePath);

    /// <summary>
    /// Restores the optimizer's hyperparameters and momentum buffers (see <see cref="SgdState.RestoreInto"/>);
    /// an optimizer of another shape, or a file without optimizer state, is a <see cref="CheckpointException"/>.
    /// </summary>
    public void RestoreOptimizer(SGD optimizer)
    {
        if (Optimizer is null) throw new CheckpointException(FilePath, "holds no optimizer state");
        try
        {
            Optimizer.RestoreInto(optimizer);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(FilePath, $"optimizer state does not fit: {e.Message}", e);
        }
    }

    /// <summary>The error for a file that has no moving average of the weights when one is asked of it.</summary>
    public static CheckpointException NoAverage(string path) =>
        new(path, $"has no {EmaStateDictKey}; it was trained without --ema");

    public void Dispose() => file.Dispose();

    private static CheckpointException Invalid(string path, string key, string what) => new(path, $"'{key}' must be {what}");
}
