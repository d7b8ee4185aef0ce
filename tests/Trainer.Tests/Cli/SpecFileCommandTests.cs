using Dsl.Trainer.Tests.Specs;

namespace Dsl.Trainer.Tests.Cli;

/// <summary><c>--model FILE</c>: the command line builds the spec itself.</summary>
public sealed class SpecFileCommandTests
{
    [Fact]
    public void TrainsASpecFileWithItsOwnRecipe()
    {
        using var temp = new TempFolder();
        var spec = temp.Combine("tiny.model.yaml");
        File.WriteAllText(spec, """
            name: File-Tiny
            family: big-little
            blocks: [2, 2, 2, 2]
            widths: [4, 8, 16, 32]
            stem: { kernel: 3, stride: 1 }
            classes: 10
            input: [1, 28, 28]
            training:
              epochs: 4
              learning_rate: 0.3
              weight_decay: 2e-4
              schedule: warmup-cosine
              warmup_epochs: 0.5
              label_smoothing: 0.1
              augmentation: flip
              test_augmentation: flip
              memory_format: nhwc
            """);
        var (code, output, error) = CommandLineTests.Run([], "train", "--model", spec, "--data", "synthetic", "--epochs", "1", "-b", "64", "-j", "0");
        Assert.True(code == 0, output + error);
        Assert.Contains("File-Tiny: ", output);
        // The spec's recipe, with the command line's epochs and batch size in its place.
        Assert.Contains("Training 1 epochs, batch 64, SGD Nesterov lr 0.3 momentum 0.9 wd 0.0002, warmup-cosine schedule (0.5 warm-up epochs), flip augmentation, label smoothing 0.1, flip-averaged evaluation, fp32 precision, nhwc memory format", output);
        Assert.Contains("Train: [001/001]", output);
        Assert.Contains("Validation accuracy", output);
    }

    [Fact]
    public void AMisspeltKeyPrintsTheLocatedDiagnosticAndExitsWithOne()
    {
        using var temp = new TempFolder();
        var spec = SpecFiles.CopyRenamed(temp, "bLResNet-Small.model.yaml", "bLResNet-Small", "File-Small", "file.model.yaml");
        var lines = File.ReadAllLines(spec);
        var line = Array.IndexOf(lines, "  momentum: 0.9");
        lines[line] = "  momentm: 0.9";
        File.WriteAllLines(spec, lines);
        var (code, output, error) = CommandLineTests.Run([], "train", "--model", spec, "--data", "synthetic", "--epochs", "1");
        Assert.Equal(1, code);
        Assert.Equal(spec + $"({line + 1},3): error DSL0002: Unknown key 'momentm' in 'training'; did you mean 'momentum'?", error.TrimEnd());
        Assert.DoesNotContain("Training", output);
    }

    [Fact]
    public void SummaryPrintsTheSpecsLayers()
    {
        using var temp = new TempFolder();
        var spec = SpecFiles.CopyRenamed(temp, "ScaleNet-Small.model.yaml", "ScaleNet-Small", "File-Scale", "scale.model.yaml");
        var (code, output, error) = CommandLineTests.Run([], "summary", "--model", spec);
        Assert.True(code == 0, output + error);
        Assert.Contains("File-Scale (scalenet), input 1x28x28, 10 classes", output);
        Assert.Contains("layer4.1", output);
        Assert.Contains("873,914", output);
    }
}
