namespace Dsl.Runtime.Nn;

/// <summary>Batch normalization over channels, with running statistics as PyTorch keeps them.</summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    public int Features { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTracked { get; }

    public BatchNorm2d(int features, double eps = 1e-5, double momentum = 0.1)
    {
        (Features, Eps, Momentum) = (features, eps, momentum);
        Weight = RegisterParameter("weight", Tensor.Ones([features]));
        Bias = RegisterParameter("bias", Tensor.Zeros([features]));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([features]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([features]));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int64));
    }

    /// <summary>
    /// When set, training-mode batches are normalized by it instead of by their own statistics
    /// (synchronized batch norm across data-parallel ranks).
    /// </summary>
    public Func<BatchNorm2d, Tensor, Tensor>? TrainingNormalizer { get; set; }

    public override Tensor Forward(Tensor input)
    {
        if (Training)
        {
            using (new NoGradScope()) NumBatchesTracked.AddInPlace(1);
            if (TrainingNormalizer is { } normalize) return normalize(this, input);
        }
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }
}
