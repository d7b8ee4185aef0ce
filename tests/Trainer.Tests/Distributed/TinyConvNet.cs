using Dsl.Runtime;
using Dsl.Runtime.Distributed;
using Dsl.Runtime.Nn;

namespace Dsl.Trainer.Tests.Distributed;

public enum TinyNorm { None, BatchNorm, SyncBatchNorm }

/// <summary>A small conv net built from the runtime's layers (conv, batch norm, linear) for data-parallel checks.</summary>
public sealed class TinyConvNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Module<Tensor, Tensor>? norm1;
    private readonly Conv2d conv2;
    private readonly Module<Tensor, Tensor>? norm2;
    private readonly Linear head;

    public TinyConvNet(TinyNorm norm, int width = 8, int classes = 10)
    {
        conv1 = RegisterModule("conv1", new Conv2d(3, width, 3, padding: 1, bias: norm == TinyNorm.None));
        norm1 = RegisterModule("bn1", Norm(norm, width));
        conv2 = RegisterModule("conv2", new Conv2d(width, 2 * width, 3, stride: 2, padding: 1, bias: norm == TinyNorm.None));
        norm2 = RegisterModule("bn2", Norm(norm, 2 * width));
        head = RegisterModule("fc", new Linear(2 * width, classes));
    }

    private static Module<Tensor, Tensor>? Norm(TinyNorm norm, int channels) => norm switch
    {
        TinyNorm.BatchNorm => new BatchNorm2d(channels),
        TinyNorm.SyncBatchNorm => new SyncBatchNorm2d(channels),
        _ => null,
    };

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var x = conv1.Forward(input);
        if (norm1 is not null) x = norm1.Forward(x);
        x = x.Relu();
        x = conv2.Forward(x);
        if (norm2 is not null) x = norm2.Forward(x);
        x = x.Relu().Mean([2, 3], keepDim: false);
        return scope.MoveOut(head.Forward(x));
    }
}
