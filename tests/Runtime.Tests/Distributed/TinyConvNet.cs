using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsl.Runtime.Tests.Distributed;

public enum TinyNorm { None, BatchNorm }

/// <summary>A small conv net (conv, batch norm, linear) for the data-parallel checks.</summary>
public sealed class TinyConvNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d? bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d? bn2;
    private readonly Linear fc;

    public TinyConvNet(TinyNorm norm, int width = 8, int classes = 10) : base(nameof(TinyConvNet))
    {
        var batchNorm = norm == TinyNorm.BatchNorm;
        conv1 = nn.Conv2d(3, width, 3, padding: 1, bias: !batchNorm);
        bn1 = batchNorm ? nn.BatchNorm2d(width) : null;
        conv2 = nn.Conv2d(width, 2 * width, 3, stride: 2, padding: 1, bias: !batchNorm);
        bn2 = batchNorm ? nn.BatchNorm2d(2 * width) : null;
        fc = nn.Linear(2 * width, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv1.call(input);
        if (bn1 is not null) x = bn1.call(x);
        x = x.relu();
        x = conv2.call(x);
        if (bn2 is not null) x = bn2.call(x);
        x = x.relu().mean([2, 3]);
        return fc.call(x).MoveToOuterDisposeScope();
    }
}
