using TorchSharp.Modules;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// Data-parallel training of one model replica per rank (torch.nn.parallel.DistributedDataParallel without its
/// overlap of communication and backward). At construction every rank takes rank 0's parameters and buffers;
/// after each backward pass <see cref="SynchronizeGradients"/> averages the gradients over ranks in buckets of
/// about <see cref="BucketBytes"/>, so that a few large all-reduces replace one per tensor. Since every rank then
/// applies the same update to the same weights, replicas stay identical, and a checkpoint of <see cref="Module"/>
/// (written by the master) holds the whole model for any world size.
/// </summary>
/// <example>
/// <code>
/// using var ddp = new DistributedDataParallel(model, environment.Group!, syncBatchNorm);
/// loss.backward();
/// ddp.SynchronizeGradients();
/// optimizer.step();
/// </code>
/// </example>
public sealed class DistributedDataParallel : IDisposable
{
    public const long DefaultBucketBytes = 4L << 20;

    public torch.nn.Module Module { get; }
    public ProcessGroup Group { get; }
    public long BucketBytes { get; }

    /// <summary>Whether rank 0's buffers (running statistics) are copied to every rank after each step, as DDP's broadcast_buffers.</summary>
    public bool BroadcastBuffers { get; }

    /// <summary>The hooks that synchronize batch-norm statistics; null when each rank normalizes with its own (PyTorch's default).</summary>
    public BatchNormSynchronizer? BatchNormSynchronizer { get; }

    private readonly Parameter[][] buckets;

    // Held, not converted per call: a temporary Scalar may be finalized while libtorch still reads it.
    private readonly Scalar worldSize;

    /// <param name="syncBatchNorm">Whether the model's BatchNorm2d layers normalize training batches with statistics over all ranks.</param>
    public DistributedDataParallel(torch.nn.Module module, ProcessGroup group, bool syncBatchNorm = false, long bucketBytes = DefaultBucketBytes,
        bool broadcastBuffers = true)
    {
        if (bucketBytes < 1) throw new ArgumentOutOfRangeException(nameof(bucketBytes), "the bucket size must be positive");
        (Module, Group, BucketBytes, BroadcastBuffers) = (module, group, bucketBytes, broadcastBuffers);
        buckets = Bucket(module.parameters().Where(p => p.requires_grad).ToList(), bucketBytes);
        worldSize = ((long)group.WorldSize).ToScalar();
        BroadcastState();
        BatchNormSynchronizer = syncBatchNorm ? new BatchNormSynchronizer(module, group) : null;
    }

    /// <summary>How the parameters were grouped: the number of tensors in each bucket, in order.</summary>
    public IReadOnlyList<int> BucketSizes => buckets.Select(b => b.Length).ToList();

    /// <summary>
    /// Copies rank 0's parameters and buffers to every rank. The constructor does it; call it again after rank 0
    /// alone changed the state, for example by loading a checkpoint.
    /// </summary>
    public void BroadcastState()
    {
        using var noGrad = torch.no_grad();
        BroadcastFlat(Module.parameters().Cast<Tensor>().Concat(Module.buffers()).ToList());
    }

    /// <summary>
    /// Averages every parameter's gradient over the ranks, then (with <see cref="BroadcastBuffers"/>) gives every
    /// rank rank 0's buffers. Call it on every rank after backward and before the optimizer step. A parameter
    /// without a gradient on this rank counts as a zero gradient (and gets one), so that ranks whose graphs differ still agree.
    /// </summary>
    public void SynchronizeGradients()
    {
        using var noGrad = torch.no_grad();
        foreach (var bucket in buckets) ReduceBucket(bucket);
        if (BroadcastBuffers) BroadcastFlat(Module.buffers().ToList());
    }

    /// <summary>
    /// The factor on this rank's mean loss for a step whose ranks hold different numbers of samples (some were skipped
    /// as corrupt): with it, the averaged gradient is that of the mean loss over every real sample, as one process holding
    /// all of them would compute (synchronized batch norm's backward included). 1 when every rank holds as many samples;
    /// 0 for a rank without samples, which still takes the step.
    /// </summary>
    /// <param name="samples">This rank's samples in the step.</param>
    /// <param name="totalSamples">All ranks' samples in the step, the same on every rank.</param>
    public double LossWeight(int samples, int totalSamples)
    {
        if (samples < 0 || samples > totalSamples || totalSamples == 0)
            throw new ArgumentOutOfRangeException(nameof(samples), $"{samples} of {totalSamples} samples is no share of a step");
        return (double)samples * Group.WorldSize / totalSamples;
    }

    private void ReduceBucket(Parameter[] parameters)
    {
        using var scope = torch.NewDisposeScope();
        var gradients = new Tensor[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].grad is null) parameters[i].grad = torch.zeros_like(parameters[i]);
            gradients[i] = parameters[i].grad!;
        }
        // A lone contiguous gradient is reduced on its own memory; otherwise one flat copy holds the bucket.
        if (gradients.Length == 1 && gradients[0].is_contiguous())
        {
            Group.AllReduceSum(gradients[0]);
            gradients[0].div_(worldSize);
            return;
        }
        var flat = torch.cat(gradients.Select(g => g.reshape(-1)).ToList(), 0);
        Group.AllReduceSum(flat);
        flat.div_(worldSize);
        ScatterBack(flat, gradients);
    }

    // Broadcasts by dtype, one flat tensor each: the handful of collectives costs less than one per tensor.
    private void BroadcastFlat(IReadOnlyList<Tensor> tensors)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var kind in tensors.GroupBy(t => t.dtype))
        {
            var members = kind.ToList();
            var flat = torch.cat(members.Select(t => t.reshape(-1)).ToList(), 0);
            Group.Broadcast(flat);
            ScatterBack(flat, members);
        }
    }

    private static void ScatterBack(Tensor flat, IReadOnlyList<Tensor> tensors)
    {
        long offset = 0;
        foreach (var tensor in tensors)
        {
            var count = tensor.numel();
            tensor.copy_(flat.narrow(0, offset, count).view(tensor.shape));
            offset += count;
        }
    }

    // Consecutive parameters of one dtype, up to the byte budget (a larger tensor gets a bucket alone).
    private static Parameter[][] Bucket(IReadOnlyList<Parameter> parameters, long bucketBytes)
    {
        var result = new List<Parameter[]>();
        var current = new List<Parameter>();
        long bytes = 0;
        foreach (var parameter in parameters)
        {
            if (parameter.device_type != DeviceType.CPU)
                throw new DistributedException($"data-parallel training over MPI takes CPU parameters; one is on {parameter.device}");
            var size = parameter.numel() * parameter.ElementSize;
            if (current.Count > 0 && (bytes + size > bucketBytes || current[0].dtype != parameter.dtype))
            {
                result.Add([.. current]);
                current.Clear();
                bytes = 0;
            }
            current.Add(parameter);
            bytes += size;
        }
        if (current.Count > 0) result.Add([.. current]);
        return [.. result];
    }

    /// <summary>Removes the batch-norm hooks; the model trains per rank again.</summary>
    public void Dispose()
    {
        BatchNormSynchronizer?.Dispose();
        worldSize.Dispose();
    }
}
