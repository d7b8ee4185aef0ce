using Dsl.Runtime;

namespace Dsl.Runtime.Tests.Training;

public sealed class MemoryFormatProbeTests
{
    [Fact]
    public void TheProbePutsEveryWeightAndStatisticBackAndLaysOutTheWinner()
    {
        using var oneThread = new OneComputeThread();
        manual_seed(21);
        using var model = new BLResNetSmall();
        model.train();
        var before = model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
        var options = new TrainingOptions { LearningRate = 0.1, Momentum = 0.9, WeightDecay = 1e-4 };

        var choice = MemoryFormatProbe.Choose(model, [8, 1, 28, 28], options, Choice.AsAsked(Precision.Float32));

        Assert.Matches(@"^auto: a fp32 training step of batch 8 took \d+\.\d ms in NHWC, \d+\.\d ms in NCHW$", choice.Reason);
        foreach (var (key, value) in model.state_dict())
            Assert.True(value.equal(before[key]).all().item<bool>(), $"{key} changed during the probe");
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
        var weight = model.Layer1.Big[0].Conv2.weight!;
        // NHWC strides put the channel dimension innermost: stride 1 on dimension 1.
        Assert.Equal(choice.IsChannelsLast(), weight.stride(1) == 1 && weight.shape[1] > 1);
        Assert.Equal(choice.IsChannelsLast() ? "nhwc" : "nchw", choice.Name);
        foreach (var tensor in before.Values) tensor.Dispose();
    }

    [Fact]
    public void NhwcStepsOfTheProbeStartWithoutNchwGradients()
    {
        using var oneThread = new OneComputeThread();
        manual_seed(23);
        using var model = new GradientLayoutRecorder();
        model.train();

        MemoryFormatProbe.Choose(model, [4, 3, 16, 16], new TrainingOptions(), Choice.AsAsked(Precision.Float32));

        var steps = MemoryFormatProbe.WarmUpSteps + MemoryFormatProbe.TimedSteps;
        Assert.Equal(2 * steps, model.Seen.Count);
        // A gradient left in the other layout makes libtorch accumulate across layouts, slowing the steps it times.
        Assert.All(model.Seen, seen => Assert.True(seen.Matches, $"a step in {seen.Layout} found a gradient in the other layout"));
        Assert.Equal(steps, model.Seen.Count(seen => seen.Layout == "NHWC"));
    }

    /// <summary>A small network that notes, at each forward, whether its convolution's gradient has its weight's layout.</summary>
    private sealed class GradientLayoutRecorder : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 8, 3, bias: false);
        private readonly TorchSharp.Modules.Linear fc = nn.Linear(8, 10);

        public List<(string Layout, bool Matches)> Seen { get; } = [];

        public GradientLayoutRecorder() : base(nameof(GradientLayoutRecorder)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var gradient = conv.weight!.grad;
            Seen.Add((input.IsChannelsLast() ? "NHWC" : "NCHW", gradient is null || gradient.stride().SequenceEqual(conv.weight.stride())));
            using var scope = NewDisposeScope();
            return fc.call(nn.functional.adaptive_avg_pool2d(conv.call(input), 1).flatten(1)).MoveToOuterDisposeScope();
        }
    }

    [Fact]
    public void TrainingWithAutoEqualsTrainingInTheLayoutItChose()
    {
        using var oneThread = new OneComputeThread();
        var data = FashionMnist.Load(FashionMnist.DefaultFolder, train: false, FashionMnist.EvalTransform()).Take(64);
        manual_seed(22);
        using var auto = new BLResNetSmall();
        using var chosen = new BLResNetSmall();
        chosen.load_state_dict(auto.state_dict());
        var notes = new List<string>();
        var options = new TrainingOptions { Epochs = 1, LearningRate = 0.05, MemoryFormat = MemoryFormat.Auto };
        new TrainingLoop(auto, new DataLoader(data, 32, shuffle: true, seed: 4, workers: 1), null, options, new Notes(notes)).Run();

        var note = Assert.Single(notes, n => n.StartsWith("memory format ", StringComparison.Ordinal));
        var nhwc = note.StartsWith("memory format nhwc (auto: ", StringComparison.Ordinal);
        Assert.True(nhwc || note.StartsWith("memory format nchw (auto: ", StringComparison.Ordinal), note);
        new TrainingLoop(chosen, new DataLoader(data, 32, shuffle: true, seed: 4, workers: 1), null,
            options with { MemoryFormat = nhwc ? MemoryFormat.Nhwc : MemoryFormat.Nchw }).Run();

        var expected = chosen.state_dict();
        foreach (var (key, value) in auto.state_dict())
            Assert.True(value.equal(expected[key]).all().item<bool>(), $"{key}: the probe changed what training computed");
    }

    private sealed class Notes(List<string> into) : ITrainingObserver
    {
        public void Note(string message) => into.Add(message);
    }
}
