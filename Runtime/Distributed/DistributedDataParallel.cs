using System.Diagnostics;
using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// Data-parallel training of one model replica per rank (torch.nn.parallel.DistributedDataParallel without
/// its overlap of communication and backward). At construction every rank takes rank 0's parameters and
/// buffers; after each backward pass <see cref="SynchronizeGradients"/> averages the gradients over ranks,
/// flattened into buckets of about <see cref="BucketBytes"/> so that a few large all-reduces replace one per
/// tensor. Since every rank then applies the same update to the same weights, replicas stay identical, and a
/// checkpoint of <see cref="Module"/> (written by the master) holds the whole model for any world size.
/// </summary>
public sealed class DistributedDataParallel
{
    public const long DefaultBucketBytes = 4L << 20;

    public Module Module { get; }
    public ProcessGroup Group { get; }
    public long BucketBytes { get; }

    /// <summary>
    /// Whether batch-norm statistics are computed over all ranks (BatchNorm2d layers normalize through the group,
    /// SyncBatchNorm2d layers are bound to it) or per rank (PyTorch's default).
    /// </summary>
    public bool SyncBatchNorm { get; }

    /// <summary>Whether rank 0's buffers (running statistics) are copied to every rank after each step, as DDP's broadcast_buffers.</summary>
    public bool BroadcastBuffers { get; }

    /// <summary>Time spent in gradient all-reduce (including flattening and copying back) by the last call and in total.</summary>
    public TimeSpan LastSynchronizationTime { get; private set; }
    public TimeSpan TotalSynchronizationTime { get; private set; }

    private readonly Tensor[][] buckets;

    public DistributedDataParallel(Module module, ProcessGroup group, bool syncBatchNorm = false, long bucketBytes = DefaultBucketBytes,
        bool broadcastBuffers = true)
    {
        if (bucketBytes < 1) throw new ArgumentOutOfRangeException(nameof(bucketBytes), "the bucket size must be positive");
        (Module, Group, SyncBatchNorm, BucketBytes, BroadcastBuffers) = (module, group, syncBatchNorm, bucketBytes, broadcastBuffers);
        BindBatchNorms();
        buckets = Bucket(module.Parameters().Where(p => p.RequiresGrad).ToList(), bucketBytes);
        BroadcastState();
    }

    private void BindBatchNorms()
    {
        foreach (var (_, child) in Module.NamedModules())
        {
            if (child is SyncBatchNorm2d sync) sync.Group = SyncBatchNorm ? Group : null;
            else if (child is BatchNorm2d plain)
                plain.TrainingNormalizer = SyncBatchNorm
                    ? (layer, x) => Group.SyncBatchNorm(x, layer.Weight, layer.Bias, layer.RunningMean, layer.RunningVar, layer.Momentum, layer.Eps)
                    : null;
        }
    }

    /// <summary>Copies rank 0's parameters and buffers to every rank.</summary>
    public void BroadcastState()
    {
        using var noGrad = new NoGradScope();
        var tensors = Module.Parameters().Concat(Module.NamedBuffers().Select(b => b.Tensor)).ToList();
        BroadcastFlat(tensors);
    }

    /// <summary>
    /// Averages every parameter's gradient over the ranks. Call it on every rank after backward and before the
    /// optimizer step. A parameter without a gradient on this rank counts as a zero gradient (and gets one), so
    /// that ranks whose graphs differ still agree.
    /// </summary>
    public void SynchronizeGradients()
    {
        var clock = Stopwatch.StartNew();
        using (new NoGradScope())
        {
            foreach (var bucket in buckets) ReduceBucket(bucket);
            if (BroadcastBuffers) BroadcastFlat(Module.NamedBuffers().Select(b => b.Tensor).ToList());
        }
        LastSynchronizationTime = clock.Elapsed;
        TotalSynchronizationTime += LastSynchronizationTime;
    }

    private void ReduceBucket(Tensor[] parameters)
    {
        using var scope = new TensorScope();
        var gradients = new Tensor[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].Grad;
            if (gradient is null)
            {
                parameters[i].Grad = Tensor.Zeros(parameters[i].Shape, parameters[i].DType, parameters[i].Device);
                gradient = parameters[i].Grad!;
            }
            gradients[i] = gradient;
        }
        var flat = Tensor.Cat(gradients.Select(g => g.Reshape(-1)).ToList(), 0);
        Group.AllReduceSum(flat);
        flat.DivInPlace(Group.WorldSize);
        long offset = 0;
        foreach (var gradient in gradients)
        {
            var count = gradient.NumElements;
            gradient.CopyFrom(flat.Narrow(0, offset, count).View(gradient.Shape));
            offset += count;
        }
    }

    // Broadcasts by dtype and device, one flat tensor each: the handful of collectives costs less than one per tensor.
    private void BroadcastFlat(IReadOnlyList<Tensor> tensors)
    {
        if (tensors.Count == 0) return;
        using var scope = new TensorScope();
        foreach (var group in tensors.GroupBy(t => (t.DType, t.Device)))
        {
            var members = group.ToList();
            var flat = Tensor.Cat(members.Select(t => t.Reshape(-1)).ToList(), 0);
            Group.Broadcast([flat]);
            long offset = 0;
            foreach (var tensor in members)
            {
                var count = tensor.NumElements;
                tensor.CopyFrom(flat.Narrow(0, offset, count).View(tensor.Shape));
                offset += count;
            }
        }
    }

    // Consecutive parameters of one dtype and device, up to the byte budget (a larger tensor gets a bucket alone).
    private static Tensor[][] Bucket(IReadOnlyList<Tensor> parameters, long bucketBytes)
    {
        var result = new List<Tensor[]>();
        var current = new List<Tensor>();
        long bytes = 0;
        (DType, Device)? kind = null;
        foreach (var parameter in parameters)
        {
            var size = parameter.NumElements * parameter.DType.ElementSize();
            var parameterKind = (parameter.DType, parameter.Device);
            if (current.Count > 0 && (bytes + size > bucketBytes || kind != parameterKind))
            {
                result.Add([.. current]);
                current.Clear();
                bytes = 0;
            }
            current.Add(parameter);
            bytes += size;
            kind = parameterKind;
        }
        if (current.Count > 0) result.Add([.. current]);
        return [.. result];
    }

    /// <summary>How the parameters were grouped: the number of tensors in each bucket, in order.</summary>
    public IReadOnlyList<int> BucketSizes => buckets.Select(b => b.Length).ToList();
}
