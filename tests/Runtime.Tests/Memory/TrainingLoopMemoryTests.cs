using Dsl.Runtime.Nn;
using Dsl.Runtime.Optim;
using Dsl.Runtime.Tests.Support;
using Xunit.Abstractions;

namespace Dsl.Runtime.Tests.Memory;

public class TrainingLoopMemoryTests(ITestOutputHelper output)
{
    private sealed class SmallConvNet : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1 , conv2;
        private readonly BatchNorm2d bn1, bn2;
        private readonly Linear fc;

        public SmallConvNet()
        {
            conv1 = RegisterModule("conv1", new Conv2d(1, 8, 3, padding: 1, bias: false));
            bn1 = RegisterModule("bn1", new BatchNorm2d(8));
            conv2 = RegisterModule("conv2", new Conv2d(8, 16, 3, stride: 2, padding: 1, bias: false));
            bn2 = RegisterModule("bn2", new BatchNorm2d(16));
            fc = RegisterModule("fc", new Linear(16, 10));
        }

        public override Tensor Forward(Tensor input)
        {
            using var scope = new TensorScope();
            var x = bn1.Forward(conv1.Forward(input)).ReluInPlace();
            x = bn2.Forward(conv2.Forward(x)).ReluInPlace();
            x = Functional.AdaptiveAvgPool2d(x, 1, 1).Flatten(1);
            return scope.MoveOut(fc.Forward(x));
        }
    }

    [Fact]
    public void TwoThousandTrainingStepsKeepResidentMemoryFlat()
    {
        Torch.ManualSeed(3);
        using var net = new SmallConvNet();
        using var sgd = new Sgd(net, 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true);
        using var input = Tensor.Randn([8, 1, 16, 16]);
        using var target = Tensor.FromArray(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 }, 8);

        double Step()
        {
            using var scope = new TensorScope();
            sgd.ZeroGrad();
            var loss = Functional.CrossEntropy(net.Forward(input), target);
            loss.Backward();
            sgd.Step();
            return loss.Item();
        }

        var firstLoss = 0.0;
        for (var i = 0; i < 200; i++)
        {
            var loss = Step();
            if (i == 0) firstLoss = loss;
        }
        var afterWarmUp = ResidentMemory.BytesAfterCollection();
        var lastLoss = 0.0;
        for (var i = 0; i < 2000; i++) lastLoss = Step();
        var afterRun = ResidentMemory.BytesAfterCollection();

        var growth = afterRun - afterWarmUp;
        output.WriteLine($"RSS after warm-up {afterWarmUp / ResidentMemory.Megabyte} MB, after 2000 steps {afterRun / ResidentMemory.Megabyte} MB");
        Assert.True(growth < 50 * ResidentMemory.Megabyte, $"resident memory grew by {growth / ResidentMemory.Megabyte} MB over 2000 steps");
        // The loop really trained: a fixed batch is memorized.
        Assert.True(lastLoss < firstLoss * 0.5, $"loss went from {firstLoss} to {lastLoss}");
    }
}
