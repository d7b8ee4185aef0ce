using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Blocks;

/// <summary>The residual shortcuts ("downsample") of the three network families.</summary>
public static class Shortcut
{
    /// <summary>
    /// Big-Little Net's rule: a 3x3/2 average pool (padding 1, padded zeros counted) when the block strides,
    /// then a stride-1 1x1 projection with batch norm when the width changes; null when neither applies.
    /// </summary>
    public static Sequential? BigLittle(int inChannels, int outChannels, int stride)
    {
        var layers = new List<Module<Tensor, Tensor>>();
        if (stride != 1) layers.Add(new AvgPool2d(3, 2, 1));
        if (inChannels != outChannels)
        {
            layers.Add(new Conv2d(inChannels, outChannels, 1, bias: false));
            layers.Add(new BatchNorm2d(outChannels));
        }
        return layers.Count == 0 ? null : new Sequential([.. layers]);
    }

    /// <summary>torchvision's rule: a strided 1x1 projection with batch norm when the shape changes.</summary>
    public static Sequential? Projection(int inChannels, int outChannels, int stride) =>
        stride == 1 && inChannels == outChannels
            ? null
            : new Sequential(new Conv2d(inChannels, outChannels, 1, stride, bias: false), new BatchNorm2d(outChannels));
}
