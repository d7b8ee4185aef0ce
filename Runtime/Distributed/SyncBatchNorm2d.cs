using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Distributed;

/// <summary>
/// Batch normalization whose training statistics cover the batches of every rank in <see cref="Group"/>
/// (torch.nn.SyncBatchNorm). Forward all-reduces the per-channel sum, sum of squares and count; backward
/// all-reduces the per-channel sums of dy and dy * x_hat, so each rank's input gradient equals that of one
/// process holding the union of all batches. Weight and bias gradients stay per rank and are averaged with
/// the other gradients by <see cref="DistributedDataParallel"/>. Without a group, in evaluation, or with a
/// single rank it is exactly <see cref="BatchNorm2d"/>. Parameter and buffer names are BatchNorm2d's, so
/// checkpoints are interchangeable. The autograd graph refers to the group natively: dispose the group only
/// after the last backward pass through this layer.
/// </summary>
public sealed class SyncBatchNorm2d : Module<Tensor, Tensor>
{
    public int Features { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTracked { get; }

    /// <summary>The ranks whose batches are normalized together; set by <see cref="DistributedDataParallel"/>.</summary>
    public ProcessGroup? Group { get; set; }

    public SyncBatchNorm2d(int features, double eps = 1e-5, double momentum = 0.1, ProcessGroup? group = null)
    {
        (Features, Eps, Momentum, Group) = (features, eps, momentum, group);
        Weight = RegisterParameter("weight", Tensor.Ones([features]));
        Bias = RegisterParameter("bias", Tensor.Zeros([features]));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([features]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([features]));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int64));
    }

    /// <summary>A synchronized copy of a batch-norm layer (values copied, same device).</summary>
    public static SyncBatchNorm2d From(BatchNorm2d source, ProcessGroup? group = null)
    {
        var result = new SyncBatchNorm2d(source.Features, source.Eps, source.Momentum, group);
        result.To(source.Weight.Device);
        result.LoadStateDict(source.StateDict());
        return result;
    }

    public override Tensor Forward(Tensor input)
    {
        if (Training)
            using (new NoGradScope()) NumBatchesTracked.AddInPlace(1);
        if (!Training || Group is null || Group.WorldSize == 1)
            return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
        if (input.Dim != 4)
            throw new ArgumentException($"SyncBatchNorm2d expects an (N, C, H, W) input, got [{string.Join(", ", input.Shape)}]");
        return Group.SyncBatchNorm(input, Weight, Bias, RunningMean, RunningVar, Momentum, Eps);
    }
}
