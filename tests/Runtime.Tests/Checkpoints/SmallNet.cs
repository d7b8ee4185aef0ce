using Dsl.Runtime.Parity;
using TorchSharp.Modules;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>
/// A conv-BN-linear network small enough for fast checkpoint tests, with children registered under
/// PyTorch's names (conv1.weight, bn1.running_mean, fc.bias, ...).
/// </summary>
internal sealed class SmallNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Linear fc;

    public SmallNet(int classes = 3, int width = 4) : base(nameof(SmallNet))
    {
        conv1 = nn.Conv2d(3, width, 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(width);
        fc = nn.Linear(width, classes);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("fc", fc);
    }

    /// <summary>A SmallNet holding the parity check's deterministic weights, which a fresh one does not.</summary>
    public static SmallNet WithReferenceWeights()
    {
        var net = new SmallNet();
        ReferenceFill.Fill(net);
        return net;
    }

    public Parameter ConvWeight => conv1.weight!;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = nn.functional.relu(bn1.forward(conv1.forward(input))).mean([2, 3]);
        return scope.MoveToOuter(fc.forward(features));
    }

    /// <summary>The state dict as "key=hex bytes" lines in PyTorch's order, for comparing two networks bit for bit.</summary>
    public List<string> Snapshot() => Snapshot(PyTorchStateDict.Of(this));

    /// <summary>State-dict entries (a weight average's, a file's) as <see cref="Snapshot()"/> writes them.</summary>
    public static List<string> Snapshot(IEnumerable<KeyValuePair<string, Tensor>> entries) =>
        entries.Select(e => $"{e.Key}={Convert.ToHexString(TensorValues.Bytes(e.Value))}").ToList();
}
