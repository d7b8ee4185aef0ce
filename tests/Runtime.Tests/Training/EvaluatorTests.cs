namespace Dsl.Runtime.Tests.Training;

public sealed class EvaluatorTests
{
    [Fact]
    public void FlipAveragingScoresTheMeanLogitsOfEachImageAndItsMirror()
    {
        manual_seed(4);
        // A linear map of the pixels: it tells an image from its mirror.
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(1 * 4 * 6, 3));
        var loader = new DataLoader(new SyntheticDataset(24, 3, 1, 4, 6, seed: 7), 24, shuffle: false);

        float expected, plain;
        using (var batch = loader.Epoch(0).Single())
        using (no_grad())
        {
            using var logits = model.call(batch.Images);
            using var mirrored = model.call(batch.Images.flip(3));
            using var mean = (logits + mirrored) / 2;
            expected = nn.functional.cross_entropy(mean, batch.Labels).item<float>();
            plain = nn.functional.cross_entropy(logits, batch.Labels).item<float>();
        }

        var flipped = Evaluator.Evaluate(model, loader, CPU, testAugmentation: Augmentation.Flip);
        Assert.Equal(expected, flipped.Loss, 5);
        Assert.Equal(plain, Evaluator.Evaluate(model, loader, CPU).Loss, 5);
        Assert.True(Math.Abs(expected - plain) > 1e-3, "the mirror changed nothing");
        Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(model, loader, CPU, testAugmentation: Augmentation.CropFlip));
    }
}
