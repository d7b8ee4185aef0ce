using Dsl.Runtime.Blocks;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Tests.Inference;

namespace Dsl.Runtime.Tests.Blocks;

public sealed class ScaleBlockTests
{
    /// <summary>A spec may leave one branch of an SA block with channels: its output alone is the merge, and trains like any other.</summary>
    [Fact]
    public void ABlockWithOneBranchTrainsAndItsInferenceFormAgrees()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        var block = new ScaleBlock(16, 8, 16, [new ScaleBranch(1, 8), new ScaleBranch(2, 0)]);
        block.train();
        var input = randn(2, 16, 8, 8);

        var output = block.call(input);
        output.square().mean().backward();

        Assert.Equal(new long[] { 2, 16, 8, 8 }, output.shape);
        var gradient = block.Conv2[0]!.weight!.grad!;
        Assert.True(gradient.abs().sum().item<float>() > 0, "the branch's convolution got no gradient");
        block.eval();
        using var noGrad = no_grad();
        var expected = block.call(input);
        using var form = block.ForInference(new InferenceLayout(Precision.Float32, MemoryFormat.Nchw));
        Assert.True(Agreement.RelativeError(form.call(input), expected) <= 1e-5);
    }
}
