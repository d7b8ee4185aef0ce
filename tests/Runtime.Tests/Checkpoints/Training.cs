using Dsl.Runtime.Parity;
using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Deterministic SGD steps on a <see cref="SmallNet"/>: step i always sees the same batch.</summary>
internal static class Training
{
    public static SGD Sgd(SmallNet net, double learningRate = 0.1) =>
        optim.SGD(net.parameters(), learningRate, momentum: 0.9, weight_decay: 1e-4, nesterov: true);

    public static void Steps(SmallNet net, SGD sgd, int first, int count)
    {
        net.train();
        for (var step = first; step < first + count; step++)
        {
            using var scope = NewDisposeScope();
            var input = tensor(ReferenceFill.Uniform($"batch {step}", 2 * 3 * 4 * 4).Select(v => (float)v).ToArray(), [2, 3, 4, 4]);
            var loss = nn.functional.cross_entropy(net.forward(input), tensor(new long[] { step % 3, (step + 1) % 3 }));
            sgd.zero_grad();
            loss.backward();
            sgd.step();
        }
    }
}
