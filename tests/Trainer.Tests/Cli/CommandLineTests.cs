using Dsl.Runtime.Logging;
using Dsl.Runtime.Models;

namespace Dsl.Trainer.Tests.Cli;

public sealed class CommandLineTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => Run(TestModels.All, args);

    internal static (int Code, string Output, string Error) Run(IReadOnlyList<ModelInfo> catalog, params string[] args) =>
        CommandRunner.Run(catalog, args);

    [Fact]
    public void ListAndSummaryPrintTheCatalog()
    {
        var (code, output, _) = Run("list");
        Assert.Equal(0, code);
        Assert.Contains("Tiny-Fashion", output);
        Assert.Contains("1x28x28", output);
        (code, output, _) = Run("summary", "Tiny-Fashion");
        Assert.Equal(0, code);
        Assert.Contains("conv1", output);
        Assert.Contains("56,448", output);
        Assert.Contains("8x28x28", output);
    }

    [Fact]
    public void UnknownModelListsNearestNames()
    {
        var (code, _, error) = Run("summary", "Tiny-Fashon");
        Assert.Equal(2, code);
        Assert.Contains("unknown model 'Tiny-Fashon'", error);
        Assert.Contains("Nearest names: Tiny-Fashion", error);
    }

    [Fact]
    public void SummaryTakesTheModelAsAnOptionOrAnArgument()
    {
        var (code, output, _) = Run(Definitions.BuiltInModels.Catalog.All, "summary", "--model", "ScaleNet-50");
        Assert.Equal(0, code);
        Assert.Contains("ScaleNet-50", output);
        Assert.Contains("31,483,618", output);
        (code, output, _) = Run("summary", "--model", "Tiny-Fashion");
        Assert.Equal(0, code);
        Assert.Contains("56,448", output);
        (code, _, var error) = Run("summary", "--model", "Tiny-Fashion", "Tiny-Rgb");
        Assert.Equal(2, code);
        Assert.Contains("give the model once", error);
    }

    [Fact]
    public void MissingOrMisnamedSpecFilesAreUsageErrors()
    {
        using var temp = new TempFolder();
        var (code, _, error) = Run("summary", "--model", temp.Combine("absent.model.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("absent.model.yaml' does not exist", error);
        var misnamed = temp.Combine("tiny.yaml");
        File.WriteAllText(misnamed, "name: Tiny-Rgb\nfamily: resnet\ndepth: 50\n");
        (code, _, error) = Run("summary", misnamed);
        Assert.Equal(2, code);
        Assert.Contains("spec files are named *.model.yaml", error);
    }

    [Fact]
    public void TrainsOnFashionMnistSubsetWritesLogsAndEvaluatesItsCheckpoint()
    {
        using var temp = new TempFolder();
        var folder = FashionSubsetFolder(temp, 384, 128);
        var (code, output, error) = Run("train", "--model", "Tiny-Fashion", "--data", "fashion-mnist:" + folder, "--epochs", "2",
            "-b", "64", "--logdir", temp.Combine("runs"), "--seed", "3");
        Assert.True(code == 0, output + error);
        Assert.Contains("Train: [002/002]", output);
        Assert.Matches(@"Test accuracy: \d+\.\d\d% top-1", output);
        var logFolder = temp.Combine("runs", "Tiny-Fashion");
        Assert.Contains("Val  : [002/002]", File.ReadAllText(Path.Combine(logFolder, TrainingLogWriter.TextLogName)));
        Assert.Single(Directory.GetFiles(logFolder, "events.out.tfevents.*"));
        var curves = Path.Combine(logFolder, TrainingCurves.FileName);
        Assert.True(File.Exists(curves), $"no {curves}");
        var twoEpochs = File.ReadAllBytes(curves);

        var checkpoint = Path.Combine(logFolder, TrainingLoop.CheckpointFileName);
        (code, output, error) = Run("eval", "--model", "Tiny-Fashion", "--data", "fashion-mnist:" + folder, "--weights", checkpoint);
        Assert.True(code == 0, output + error);
        Assert.Matches(@"Val@28: \tLoss: \d+\.\d{4}\tTop@1: \d+\.\d{4}\tTop@5: \d+\.\d{4}\tSpeed: \d+\.\d\d ms/batch", output);

        // Resuming a finished run trains nothing more and says so; a third epoch continues the logs.
        (code, output, error) = Run("train", "--model", "Tiny-Fashion", "--data", "fashion-mnist:" + folder, "--epochs", "3",
            "-b", "64", "--logdir", temp.Combine("runs"), "--seed", "3", "--resume", logFolder);
        Assert.True(code == 0, output + error);
        Assert.Contains("Train: [003/003]", output);
        Assert.DoesNotContain("Train: [001/003]", output);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(logFolder, TrainingLogWriter.MetricsName)).Length);
        // The third epoch redraws the picture.
        Assert.NotEqual(twoEpochs, File.ReadAllBytes(curves));
    }

    [Fact]
    public void BadInputsGiveOneLineErrors()
    {
        using var temp = new TempFolder();
        var (code, _, error) = Run("train", "--model", "Tiny-Rgb", "--data", temp.Combine("missing"), "--epochs", "1");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", error);

        (code, _, error) = Run("train", "--model", "Tiny-Rgb", "--data", "fashion-mnist", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("1x28x28", error);

        Directory.CreateDirectory(temp.Combine("imgs", "train", "a"));
        Directory.CreateDirectory(temp.Combine("imgs", "val", "a"));
        TestImages.WritePng(temp.Combine("imgs", "train", "a", "0.png"), 20, 20, 1);
        TestImages.WritePng(temp.Combine("imgs", "val", "a", "0.png"), 20, 20, 2);
        (code, _, error) = Run("train", "--model", "Tiny-Rgb", "--data", temp.Combine("imgs"), "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("1 classes but Tiny-Rgb predicts 2", error);

        (code, _, error) = Run("train", "--model", "Tiny-Fashion", "--data", "synthetic", "--resume", temp.Combine("nope.pth.tar"));
        Assert.Equal(2, code);
        Assert.Contains("nope.pth.tar", error);

        (code, _, error) = Run("train", "--model", "Tiny-Fashion", "--lr-scheduler", "linear");
        Assert.NotEqual(0, code);

        (code, _, error) = Run("train", "--model", "Tiny-Fashion", "--data", "synthetic", "--label-smoothing", "1");
        Assert.Equal(2, code);
        Assert.Contains("--label-smoothing must be at least 0 and below 1, not 1", error);

        (code, _, error) = Run("train", "--model", "Tiny-Fashion", "--data", "synthetic", "--warmup-epochs", "-0.5");
        Assert.Equal(2, code);
        Assert.Contains("--warmup-epochs cannot be negative", error);
    }

    [Fact]
    public void SyntheticSmokeRunOnRgbImageFolderShapes()
    {
        var (code, output, error) = Run("train", "--model", "Tiny-Rgb", "--data", "synthetic", "--epochs", "1", "-b", "64", "-j", "0");
        Assert.True(code == 0, output + error);
        Assert.Contains("Validation accuracy", output);
    }

    internal static string FashionSubsetFolder(TempFolder temp, int trainCount, int testCount)
    {
        var folder = temp.Combine("fashion");
        Directory.CreateDirectory(folder);
        foreach (var (split, count) in new[] { ("train", trainCount), ("t10k", testCount) })
        {
            IdxSubset.Write(Path.Combine(Runtime.Data.FashionMnist.DefaultFolder, $"{split}-images-idx3-ubyte.gz"),
                Path.Combine(folder, $"{split}-images-idx3-ubyte.gz"), count);
            IdxSubset.Write(Path.Combine(Runtime.Data.FashionMnist.DefaultFolder, $"{split}-labels-idx1-ubyte.gz"),
                Path.Combine(folder, $"{split}-labels-idx1-ubyte.gz"), count);
        }
        return folder;
    }
}
