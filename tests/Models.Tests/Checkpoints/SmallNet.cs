using Dsl.Runtime;
using Dsl.Runtime.Nn;

namespace Dsl.Models.Tests.Checkpoints;

/// <summary>A conv-BN-linear network small enough for fast checkpoint tests.</summary>
internal sealed class SmallNet : Module<Tensor, Tensor>
{
    public SmallNet(int classes = 3, int width = 4)
    {
        RegisterModule("conv1", new Conv2d(3, width, 3, padding: 1, bias: false));
        RegisterModule("bn1", new BatchNorm2d(width));
        RegisterModule("fc", new Linear(width, classes));
    }

    public override Tensor Forward(Tensor input) => throw new NotSupportedException("only the state is used");
}
