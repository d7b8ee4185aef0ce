using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Support;

/// <summary>A small convolutional classifier for tests: conv-bn-relu, pool, conv-bn-relu, global pool, linear.</summary>
internal sealed class TinyNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Linear fc;

    public TinyNet(int inChannels, int classes, int width = 8) : base(nameof(TinyNet))
    {
        conv1 = nn.Conv2d(inChannels, width, 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(width);
        conv2 = nn.Conv2d(width, 2 * width, 3, stride: 2, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(2 * width);
        fc = nn.Linear(2 * width, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = bn1.call(conv1.call(input)).relu();
        x = nn.functional.max_pool2d(x, 2);
        x = bn2.call(conv2.call(x)).relu();
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return fc.call(x).MoveToOuterDisposeScope();
    }
}
