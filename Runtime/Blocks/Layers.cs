using TorchSharp.Modules;

namespace Dsl.Runtime.Blocks;

/// <summary>The layers every network here is built from, as torchvision's conv1x1 and conv3x3 helpers.</summary>
public static class Layers
{
    /// <summary>A bias-free 3x3 convolution with padding 1.</summary>
    public static Conv2d Conv3x3(long inChannels, long outChannels, long stride = 1, long groups = 1) =>
        nn.Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, groups: groups, bias: false);

    /// <summary>A bias-free 1x1 convolution.</summary>
    public static Conv2d Conv1x1(long inChannels, long outChannels, long stride = 1) =>
        nn.Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false);

    /// <summary>A bias-free convolution padded to keep the size at stride 1 (the stems' 7x7 and 3x3).</summary>
    public static Conv2d Conv(long inChannels, long outChannels, long kernel, long stride = 1) =>
        nn.Conv2d(inChannels, outChannels, kernel_size: kernel, stride: stride, padding: kernel / 2, bias: false);

    public static BatchNorm2d BatchNorm(long channels) => nn.BatchNorm2d(channels);

    /// <summary>The stem's 3x3 max pool at stride 2, padding 1 (torchvision's <c>maxpool</c>), in the model and its inference form.</summary>
    public static MaxPool2d MaxPool() => nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
}
