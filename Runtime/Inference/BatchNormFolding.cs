using TorchSharp.Modules;

namespace Dsl.Runtime.Inference;

/// <summary>
/// Batch norm in eval mode is a per-channel affine map, y = scale·x + shift with scale = γ/√(σ²+ε) and
/// shift = β − μ·scale, so it folds into the convolution before it: w' = w·scale per output channel and
/// b' = b·scale + shift. The folding also holds across a nearest or bilinear upsample between the two
/// (ScaleNet's branches): each upsampled value is a weighted sum of inputs of one channel with weights
/// summing to 1, so it commutes with scaling and with adding a per-channel constant.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>The weight and bias of one convolution equal to <c>norm(conv(x))</c> with the running statistics, in the convolution's dtype.</summary>
    public static (Tensor Weight, Tensor Bias) Fold(Conv2d conv, BatchNorm2d norm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Worked in float64, so the folded values are rounded once, into the convolution's dtype.
        var (scale, shift) = Affine(norm);
        var weight = conv.weight.detach().to(float64) * scale.view(-1, 1, 1, 1);
        var bias = conv.bias is null ? shift : conv.bias.detach().to(float64) * scale + shift;
        var dtype = conv.weight.dtype;
        return (weight.to(dtype).MoveToOuterDisposeScope(), bias.to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>The scale and shift (float64, one per channel) that <paramref name="norm"/> applies in eval mode.</summary>
    public static (Tensor Scale, Tensor Shift) Affine(BatchNorm2d norm)
    {
        if (norm.running_mean is null || norm.running_var is null)
            throw new ArgumentException("A batch norm without running statistics normalizes by each batch and cannot be folded.", nameof(norm));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var mean = norm.running_mean.to(float64);
        var scale = (norm.running_var.to(float64) + norm.eps).rsqrt();
        if (norm.weight is not null) scale = scale * norm.weight.detach().to(float64);
        var shift = -mean * scale;
        if (norm.bias is not null) shift = shift + norm.bias.detach().to(float64);
        return (scale.MoveToOuterDisposeScope(), shift.MoveToOuterDisposeScope());
    }
}
