namespace Dsl.Runtime.Distributed;

/// <summary>
/// Training-mode batch normalization of an (N, C, H, W) input whose statistics cover the batches of every rank
/// (torch.nn.SyncBatchNorm's computation) as a custom autograd function. Forward all-reduces, per channel, the
/// element count, sum and sum of squares (in float64, from each rank's float32 Welford mean and variance) and
/// updates the running statistics with the global ones. Backward all-reduces the per-channel sums of dy and
/// dy * x_hat, so that each rank's input gradient is that of one process holding the union of the batches.
/// Weight and bias gradients stay per rank; <see cref="DistributedDataParallel"/> averages them with the others.
/// </summary>
/// <remarks>
/// Apply it as <c>apply(input, weight, bias, new SyncBatchNormFunction.Settings(...))</c>; weight and bias may be
/// null. The autograd context holds the group itself, so it stays reachable until the last backward pass.
/// </remarks>
internal sealed class SyncBatchNormFunction : torch.autograd.SingleTensorFunction<SyncBatchNormFunction>
{
    /// <summary>What the forward pass needs besides the differentiable tensors.</summary>
    /// <param name="ExponentialAverageFactor">The weight of this batch in the running statistics.</param>
    public sealed record Settings(ProcessGroup Group, double Eps, Tensor? RunningMean, Tensor? RunningVar, double ExponentialAverageFactor);

    private const string GroupKey = "group";
    private const string CountKey = "count";
    private const string HasBiasKey = "has bias";

    public override string Name => "SyncBatchNorm";

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, weight, bias, settings) = ((Tensor)vars[0], vars[1] as Tensor, vars[2] as Tensor, (Settings)vars[3]);
        if (input.ndim != 4) throw new ArgumentException($"synchronized batch norm expects an (N, C, H, W) input, got {input.ndim} dimensions");
        using var scope = torch.NewDisposeScope();
        var channels = input.shape[1];
        var localCount = (double)(input.numel() / channels);
        var statistics = localCount == 0 ? torch.zeros(2 * channels + 1, ScalarType.Float64) : LocalStatistics(input, localCount);
        settings.Group.AllReduceSum(statistics);

        var count = statistics[channels * 2].item<double>();
        var mean = statistics.narrow(0, 0, channels) / count;
        var variance = (statistics.narrow(0, channels, channels) / count - mean * mean).clamp_min(0);
        UpdateRunningStatistics(settings, mean, variance, count);

        var inputMean = mean.to(input.dtype).MoveToOuterDisposeScope();
        var inputInvstd = (variance + settings.Eps).rsqrt().to(input.dtype).MoveToOuterDisposeScope();
        var output = (input - Channels(inputMean)) * Channels(inputInvstd);
        if (weight is not null) output = output * Channels(weight);
        if (bias is not null) output = output + Channels(bias);

        // The saved tensors must outlive this scope: autograd records them after forward returns.
        ctx.save_for_backward([input, weight!, inputMean, inputInvstd]);
        ctx.save_data(GroupKey, settings.Group);
        ctx.save_data(CountKey, count);
        ctx.save_data(HasBiasKey, bias is not null);
        return output.MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var group = (ProcessGroup)ctx.get_data(GroupKey);
        var count = (double)ctx.get_data(CountKey);
        var hasBias = (bool)ctx.get_data(HasBiasKey);
        using var scope = torch.NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (input, weight, mean, invstd) = (saved[0], saved[1], saved[2], saved[3]);
        var channels = input.shape[1];
        var normalized = (input - Channels(mean)) * Channels(invstd);
        var sumGradient = grad_output.sum([0, 2, 3]);
        var sumGradientNormalized = (grad_output * normalized).sum([0, 2, 3]);

        var sums = torch.cat([sumGradient, sumGradientNormalized]).to(ScalarType.Float64).contiguous();
        group.AllReduceSum(sums);
        var meanGradient = (sums.narrow(0, 0, channels) / count).to(input.dtype);
        var meanGradientNormalized = (sums.narrow(0, channels, channels) / count).to(input.dtype);

        var scale = weight is null ? invstd : invstd * weight;
        var inputGradient = (grad_output - Channels(meanGradient) - normalized * Channels(meanGradientNormalized)) * Channels(scale);
        // Returned tensors are read by autograd after this method returns, so they leave the scope.
        return
        [
            inputGradient.MoveToOuterDisposeScope(),
            weight is null ? null! : sumGradientNormalized.MoveToOuterDisposeScope(),
            hasBias ? sumGradient.MoveToOuterDisposeScope() : null!,
            null!,
        ];
    }

    // Per channel: count times mean and count times mean square, then the count. An empty batch (its samples
    // skipped as corrupt) adds zeros instead: its mean would be NaN.
    private static Tensor LocalStatistics(Tensor input, double localCount)
    {
        var (localVar, localMean) = input.var_mean([0, 2, 3], unbiased: false);
        var mean64 = localMean.to(ScalarType.Float64);
        return torch.cat([
            mean64 * localCount,
            (localVar.to(ScalarType.Float64) + mean64 * mean64) * localCount,
            torch.tensor(new[] { localCount }, ScalarType.Float64),
        ]).contiguous();
    }

    private static void UpdateRunningStatistics(Settings settings, Tensor mean, Tensor variance, double count)
    {
        if (settings.RunningMean is null || settings.RunningVar is null) return;
        var factor = settings.ExponentialAverageFactor;
        // The running variance is unbiased, as torch's batch norm keeps it.
        var unbiased = count > 1 ? variance * (count / (count - 1)) : variance;
        using var noGrad = torch.no_grad();
        settings.RunningMean.mul_(1 - factor).add_(mean.to(settings.RunningMean.dtype) * factor);
        settings.RunningVar.mul_(1 - factor).add_(unbiased.to(settings.RunningVar.dtype) * factor);
    }

    private static Tensor Channels(Tensor perChannel) => perChannel.view(1, -1, 1, 1);
}
