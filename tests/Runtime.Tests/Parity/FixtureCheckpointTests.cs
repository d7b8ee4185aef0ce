using System.Text.Json;
using Dsl.Runtime.Tests.Checkpoints;
using Dsl.Runtime.Parity;

namespace Dsl.Runtime.Tests.Parity;

/// <summary>A real training checkpoint of the original code loads into our spec of that network and gives its logits.</summary>
public sealed class FixtureCheckpointTests
{
    [Fact]
    public void TinyBigLittleCheckpointReproducesTheOriginalLogits()
    {
        var expectedFile = Path.Combine(Path.GetDirectoryName(TestPaths.FixtureCheckpoint)!, "checkpoint.expected.json");
        using var document = JsonDocument.Parse(File.ReadAllText(expectedFile));
        var expected = document.RootElement.GetProperty("logits_f64").EnumerateArray()
            .SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var parameters = document.RootElement.GetProperty("parameters").GetInt64();

        using var model = BuiltInModels.Catalog.Get("bLResNet-50-tiny").Create();
        Assert.Equal(parameters, model.parameters().Sum(p => p.numel()));
        var report = Checkpoint.LoadInto(model, TestPaths.FixtureCheckpoint);
        Assert.True(report.IsExact, report.ToString());

        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.call(ReferenceFill.Input(2, 3, 64, 64)).to(float64).data<double>().ToArray();

        Assert.Equal(expected.Length, logits.Length);
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += (logits[i] - expected[i]) * (logits[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        Assert.InRange(Math.Sqrt(difference / norm), 0, 1e-4);
    }
}
