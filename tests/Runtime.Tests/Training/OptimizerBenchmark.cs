using Dsl.Runtime.Tests.Inference;

namespace Dsl.Runtime.Tests.Training;

/// <summary>One SGD update (Nesterov momentum, weight decay) of a whole network's parameters: TorchSharp's SGD against <see cref="FusedSgd"/>.</summary>
public sealed class OptimizerBenchmark(ITestOutputHelper output)
{
    private const int Pairs = 11;

    [BenchmarkFact]
    public void SgdUpdate()
    {
        foreach (var name in new[] { "bLResNet-50", "ScaleNet-50" }) Measure(name);
    }

    private void Measure(string name)
    {
        using var reference = BuiltInModels.Catalog.Get(name).Create();
        using var model = BuiltInModels.Catalog.Get(name).Create();
        foreach (var parameters in new[] { reference.parameters(), model.parameters() })
            foreach (var parameter in parameters) parameter.grad = randn_like(parameter);
        using var plain = optim.SGD(reference.parameters(), 0.1, 0.9, 0, 1e-4, true);
        using var fused = new FusedSgd(model.parameters(), 0.1, 0.9, 0, 1e-4, true);
        // The first step makes the momentum buffers.
        plain.step();
        fused.step();
        var plainTimes = new List<double>();
        var fusedTimes = new List<double>();
        for (var i = 0; i < Pairs; i++)
        {
            var clock = Stopwatch.StartNew();
            plain.step();
            plainTimes.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            fused.step();
            fusedTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        plainTimes.Sort();
        fusedTimes.Sort();
        var count = model.parameters().Sum(p => p.numel());
        output.WriteLine($"{name}, {count / 1e6:F1} M parameters, {get_num_threads()} threads, median of {Pairs} alternating steps: " +
            $"TorchSharp SGD {plainTimes[Pairs / 2]:F1} ms, fused {fusedTimes[Pairs / 2]:F1} ms");
    }
}
