namespace Dsl.Runtime.Tests.Training;

public sealed class TrainingStepTests
{
    [Fact]
    public void LabelSmoothingMixesTheUniformDistributionIntoTheTargets()
    {
        manual_seed(3);
        using var model = nn.Linear(6, 4);
        using var images = randn(8, 6);
        using var labels = tensor(new long[] { 0, 1, 2, 3, 3, 2, 1, 0 });
        using var expected = ExpectedLoss(model, images, labels, 0.1);
        using var plain = ExpectedLoss(model, images, labels, 0);

        using var sgd = optim.SGD(model.parameters(), 0.1);
        using var scope = NewDisposeScope();
        var (_, loss) = TrainingStep.Run(model, sgd, images, labels, Choice.AsAsked(Precision.Float32), labelSmoothing: 0.1);

        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
        Assert.True(Math.Abs(plain.item<float>() - loss.item<float>()) > 1e-3, "the smoothing changed nothing");
    }

    // (1 - ε) · cross-entropy + ε · the mean over classes of -log p.
    private static Tensor ExpectedLoss(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, double epsilon)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logProbabilities = nn.functional.log_softmax(model.call(images), 1);
        var crossEntropy = -logProbabilities.gather(1, labels.unsqueeze(1)).mean();
        var uniform = -logProbabilities.mean();
        return ((1 - epsilon) * crossEntropy + epsilon * uniform).MoveToOuterDisposeScope();
    }
}
