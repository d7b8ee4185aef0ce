using TorchSharp;
using static TorchSharp.torch;

namespace Dsl.Runtime.Tests.Models;

/// <summary>
/// Keeps a copy of what each of a model's stage modules returned during its last call, taken the moment the stage
/// finished, so a later in-place change to the tensor would show. The copies outlive every dispose scope until Dispose.
/// </summary>
internal sealed class StageRecorder : IDisposable
{
    private readonly Tensor?[] outputs;

    private StageRecorder(int count) => outputs = new Tensor?[count];

    /// <summary>What each of <paramref name="stages"/> returned while <paramref name="call"/> ran; later calls record nothing.</summary>
    public static StageRecorder During(IReadOnlyList<nn.Module<Tensor, Tensor>> stages, Action call)
    {
        var recorder = new StageRecorder(stages.Count);
        var removals = new List<Action>();
        try
        {
            for (var i = 0; i < stages.Count; i++)
            {
                var index = i;
                removals.Add(stages[i].register_forward_hook((_, _, output) =>
                {
                    recorder.outputs[index]?.Dispose();
                    recorder.outputs[index] = output.detach().clone().DetachFromDisposeScope();
                    return output;
                }).remove);
            }
            call();
        }
        finally
        {
            foreach (var remove in removals) remove();
        }
        return recorder;
    }

    /// <summary>The copies, in stage order; a stage that did not run fails the test.</summary>
    public IReadOnlyList<Tensor> Outputs => outputs.Select((o, i) => o ?? throw new InvalidOperationException("stage " + (i + 1) + " did not run")).ToList();

    public void Dispose()
    {
        foreach (var output in outputs) output?.Dispose();
    }
}
