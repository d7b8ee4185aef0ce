using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Tests.Modules;

/// <summary>A residual-style block with an optional downsample path, laid out as torchvision's Bottleneck.</summary>
internal sealed class TinyBlock : Module<Tensor, Tensor>
{
    public Conv2d Conv1 { get; }
    public BatchNorm2d Bn1 { get; }
    public Conv2d Conv2 { get; }
    public BatchNorm2d Bn2 { get; }
    public Sequential? Downsample { get; }

    public TinyBlock(int inChannels, int outChannels, bool downsample)
    {
        Conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels, 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(outChannels));
        Conv2 = RegisterModule("conv2", new Conv2d(outChannels, outChannels, 3, padding: 1, bias: false));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels));
        RegisterModule("relu", new ReLU(inPlace: true));
        Downsample = RegisterModule("downsample", downsample
            ? new Sequential(new AvgPool2d(1), new Conv2d(inChannels, outChannels, 1, bias: false), new BatchNorm2d(outChannels))
            : null);
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var x = Bn1.Forward(Conv1.Forward(input)).Relu();
        x = Bn2.Forward(Conv2.Forward(x));
        var shortcut = Downsample?.Forward(input) ?? input;
        return scope.MoveOut(x.Add(shortcut).Relu());
    }
}

/// <summary>
/// Exercises every naming rule: own parameters and buffers registered after children, a Sequential of
/// blocks, a null downsample and a ModuleList with a null gap.
/// </summary>
internal sealed class TinyNet : Module<Tensor, Tensor>
{
    public Conv2d Conv1 { get; }
    public BatchNorm2d Bn1 { get; }
    public Sequential<TinyBlock> Layer1 { get; }
    public ModuleList<Module> Branches { get; }
    public Linear Fc { get; }
    public Tensor Temperature { get; }

    public TinyNet()
    {
        Conv1 = RegisterModule("conv1", new Conv2d(1, 4, 3, padding: 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(4));
        Layer1 = RegisterModule("layer1", new Sequential<TinyBlock>([new TinyBlock(4, 8, true), new TinyBlock(8, 8, false)]));
        Branches = RegisterModule("branches", new ModuleList<Module>([new Conv2d(8, 8, 1), null, new BatchNorm2d(8)]));
        Fc = RegisterModule("fc", new Linear(8, 3));
        Temperature = RegisterParameter("temperature", Tensor.Ones([1]));
        RegisterBuffer("step", Tensor.Zeros([1]));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var x = Bn1.Forward(Conv1.Forward(input)).Relu();
        x = Layer1.Forward(x);
        x = ((Conv2d)Branches[0]!).Forward(x);
        x = ((BatchNorm2d)Branches[2]!).Forward(x);
        x = Functional.AdaptiveAvgPool2d(x, 1, 1).Flatten(1);
        return scope.MoveOut(Fc.Forward(x).Mul(Temperature));
    }

    /// <summary>torch.nn's names for the same model (printed from PyTorch 1.13).</summary>
    public static readonly string[] PyTorchParameterNames =
    [
        "temperature", "conv1.weight", "bn1.weight", "bn1.bias", "layer1.0.conv1.weight", "layer1.0.bn1.weight",
        "layer1.0.bn1.bias", "layer1.0.conv2.weight", "layer1.0.bn2.weight", "layer1.0.bn2.bias",
        "layer1.0.downsample.1.weight", "layer1.0.downsample.2.weight", "layer1.0.downsample.2.bias",
        "layer1.1.conv1.weight", "layer1.1.bn1.weight", "layer1.1.bn1.bias", "layer1.1.conv2.weight",
        "layer1.1.bn2.weight", "layer1.1.bn2.bias", "branches.0.weight", "branches.0.bias", "branches.2.weight",
        "branches.2.bias", "fc.weight", "fc.bias",
    ];

    public static readonly string[] PyTorchBufferNames =
    [
        "step", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.bn1.running_mean",
        "layer1.0.bn1.running_var", "layer1.0.bn1.num_batches_tracked", "layer1.0.bn2.running_mean",
        "layer1.0.bn2.running_var", "layer1.0.bn2.num_batches_tracked", "layer1.0.downsample.2.running_mean",
        "layer1.0.downsample.2.running_var", "layer1.0.downsample.2.num_batches_tracked", "layer1.1.bn1.running_mean",
        "layer1.1.bn1.running_var", "layer1.1.bn1.num_batches_tracked", "layer1.1.bn2.running_mean",
        "layer1.1.bn2.running_var", "layer1.1.bn2.num_batches_tracked", "branches.2.running_mean",
        "branches.2.running_var", "branches.2.num_batches_tracked",
    ];

    public static readonly string[] PyTorchStateDictKeys =
    [
        "temperature", "step", "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
        "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias",
        "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var", "layer1.0.bn1.num_batches_tracked",
        "layer1.0.conv2.weight", "layer1.0.bn2.weight", "layer1.0.bn2.bias", "layer1.0.bn2.running_mean",
        "layer1.0.bn2.running_var", "layer1.0.bn2.num_batches_tracked", "layer1.0.downsample.1.weight",
        "layer1.0.downsample.2.weight", "layer1.0.downsample.2.bias", "layer1.0.downsample.2.running_mean",
        "layer1.0.downsample.2.running_var", "layer1.0.downsample.2.num_batches_tracked", "layer1.1.conv1.weight",
        "layer1.1.bn1.weight", "layer1.1.bn1.bias", "layer1.1.bn1.running_mean", "layer1.1.bn1.running_var",
        "layer1.1.bn1.num_batches_tracked", "layer1.1.conv2.weight", "layer1.1.bn2.weight", "layer1.1.bn2.bias",
        "layer1.1.bn2.running_mean", "layer1.1.bn2.running_var", "layer1.1.bn2.num_batches_tracked",
        "branches.0.weight", "branches.0.bias", "branches.2.weight", "branches.2.bias", "branches.2.running_mean",
        "branches.2.running_var", "branches.2.num_batches_tracked", "fc.weight", "fc.bias",
    ];
}
