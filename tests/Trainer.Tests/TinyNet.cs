using Dsl.Runtime;
using Dsl.Runtime.Nn;

namespace Dsl.Trainer.Tests;

/// <summary>A small convolutional classifier for tests: conv-bn-relu, pool, conv-bn-relu, global pool, linear.</summary>
internal sealed class TinyNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Linear fc;

    public TinyNet(int inChannels, int classes, int width = 8)
    {
        conv1 = RegisterModule("conv1", new Conv2d(inChannels, width, 3, padding: 1, bias: false));
        bn1 = RegisterModule("bn1", new BatchNorm2d(width));
        conv2 = RegisterModule("conv2", new Conv2d(width, 2 * width, 3, stride: 2, padding: 1, bias: false));
        bn2 = RegisterModule("bn2", new BatchNorm2d(2 * width));
        fc = RegisterModule("fc", new Linear(2 * width, classes));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var x = bn1.Forward(conv1.Forward(input)).Relu();
        x = Functional.MaxPool2d(x, 2);
        x = bn2.Forward(conv2.Forward(x)).Relu();
        x = Functional.AdaptiveAvgPool2d(x, 1, 1).Flatten(1);
        return scope.MoveOut(fc.Forward(x));
    }
}
