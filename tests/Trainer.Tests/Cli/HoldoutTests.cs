using System.CommandLine;
using Dsl.Trainer.Commands;
using Dsl.Trainer.Setup;

namespace Dsl.Trainer.Tests.Cli;

/// <summary>--holdout and training.holdout: the last N training images validate, and are not trained on.</summary>
public sealed class HoldoutTests
{
    private static readonly Runtime.Models.ModelInfo Fashion = TestModels.All[0];

    private static TrainingPlan Plan(Runtime.Models.ModelInfo model, params string[] args)
    {
        var flags = new TrainingFlags();
        var command = new Command("train");
        foreach (var option in flags.All) command.Add(option);
        return TrainingPlan.Resolve(model, flags, command.Parse(args));
    }

    [Fact]
    public void TheFlagTakesThePlaceOfTheSpecsValue()
    {
        var model = Fashion with { Training = Fashion.Training with { Holdout = 500 } };
        Assert.Equal(0, Plan(Fashion).Recipe.Holdout);
        Assert.Equal(500, Plan(model).Recipe.Holdout);
        Assert.Equal(20, Plan(model, "--holdout", "20").Recipe.Holdout);
        Assert.Equal(0, Plan(model, "--holdout", "0").Recipe.Holdout);
        var error = Assert.Throws<UsageException>(() => Plan(model, "--holdout", "-1"));
        Assert.Equal("--holdout must be between 0 and 1000000, not -1", error.Message);
    }

    [Fact]
    public void ValidationIsTheLastTrainingImagesUnaugmentedAndTrainingTheRest()
    {
        using var temp = new TempFolder();
        var folder = CommandLineTests.FashionSubsetFolder(temp, 300, 50);
        var plan = Plan(Fashion, "--data", "fashion-mnist:" + folder, "--holdout", "100", "-b", "32");
        var data = DataSources.Create(plan, seed: 1, strict: true);
        var (train, validation) = (data.Train.Dataset, data.Validation.Dataset);
        Assert.Equal((200, 100), (train.Count, validation.Count));
        Assert.Contains("the last 100 training images held out for validation: 200 training and 100 validation images", data.Description);

        var unaugmented = FashionMnist.Load(folder, train: true, FashionMnist.EvalTransform());
        Assert.Equal(TestImages.Sample(unaugmented, 200), TestImages.Sample(validation, 0));
        Assert.Equal(TestImages.Sample(unaugmented, 299), TestImages.Sample(validation, 99));
        Assert.Equal(Enumerable.Range(200, 100).Select(unaugmented.LabelOf), Enumerable.Range(0, 100).Select(validation.LabelOf));
        Assert.Equal(Enumerable.Range(0, 200).Select(unaugmented.LabelOf), Enumerable.Range(0, 200).Select(train.LabelOf));
        // Training keeps its flips: some seed mirrors image 0, which validation never does.
        Assert.Contains(Enumerable.Range(0, 8), s => !TestImages.Sample(train, 0, (ulong)s).SequenceEqual(TestImages.Sample(unaugmented, 0)));
    }

    [Fact]
    public void AHoldoutAsLargeAsTheTrainingSetIsAUsageError()
    {
        using var temp = new TempFolder();
        var folder = CommandLineTests.FashionSubsetFolder(temp, 64, 16);
        var (code, _, error) = CommandRunner.Run(TestModels.All, "train", "--model", "Tiny-Fashion", "--data", "fashion-mnist:" + folder,
            "--epochs", "1", "--holdout", "64");
        Assert.Equal(2, code);
        Assert.Contains("--holdout 64 must be smaller than the 64 training images", error);
    }

    [Fact]
    public void TrainingReportsTheHeldOutAccuracy()
    {
        using var temp = new TempFolder();
        var folder = CommandLineTests.FashionSubsetFolder(temp, 192, 16);
        var (code, output, error) = CommandRunner.Run(TestModels.All, "train", "--model", "Tiny-Fashion", "--data", "fashion-mnist:" + folder,
            "--epochs", "1", "-b", "64", "--holdout", "64");
        Assert.True(code == 0, output + error);
        Assert.Contains("128 training and 64 validation images", output);
        Assert.Matches(@"Held-out validation accuracy: \d+\.\d\d% top-1, \d+\.\d\d% top-5 on 64 images", output);
        Assert.DoesNotContain("Test accuracy", output);
    }
}
