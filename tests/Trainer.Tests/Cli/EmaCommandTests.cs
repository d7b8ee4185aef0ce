using Dsl.Runtime.Logging;

namespace Dsl.Trainer.Tests.Cli;

/// <summary>--ema: a moving average of the weights trained, reported and saved beside them; --ema-weights evaluates or exports it.</summary>
public sealed class EmaCommandTests
{
    [Fact]
    public void AnEmaOutsideItsRangeIsAUsageError()
    {
        var (code, _, error) = CommandRunner.Run(TestModels.All, "train", "--model", "Tiny-Fashion", "--data", "synthetic", "--ema", "1");
        Assert.Equal(2, code);
        Assert.Contains("--ema must be at least 0 and below 1, not 1", error);
    }

    [Fact]
    public void TrainingReportsTheAverageAndEvalTakesItFromTheCheckpoint()
    {
        using var temp = new TempFolder();
        var data = "fashion-mnist:" + CommandLineTests.FashionSubsetFolder(temp, 256, 128);
        var (code, output, error) = CommandRunner.Run(TestModels.All, "train", "--model", "Tiny-Fashion", "--data", data, "--epochs", "2",
            "-b", "64", "--ema", "0.9", "--logdir", temp.Combine("runs"), "--seed", "2");
        Assert.True(code == 0, output + error);
        Assert.Contains("EMA decay 0.9", output);
        Assert.Matches(@"Test accuracy: \d+\.\d\d% top-1.*\nEMA test accuracy: \d+\.\d\d% top-1, \d+\.\d\d% top-5 on 128 images \(decay 0\.9\)", output);
        var logFolder = temp.Combine("runs", "Tiny-Fashion");
        var checkpoint = Path.Combine(logFolder, TrainingLoop.CheckpointFileName);

        // Loss, top-1 and top-5 of a log or eval line.
        static string Scores(string line) => line[line.IndexOf("\tLoss", StringComparison.Ordinal)..line.IndexOf("\tSpeed", StringComparison.Ordinal)];
        string Evaluation(params string[] extra)
        {
            var (evalCode, evalOutput, evalError) = CommandRunner.Run(TestModels.All,
                ["eval", "--model", "Tiny-Fashion", "--data", data, "-b", "64", "--weights", checkpoint, .. extra]);
            Assert.True(evalCode == 0, evalOutput + evalError);
            return Scores(evalOutput.Split('\n').Single(line => line.StartsWith("Val@28", StringComparison.Ordinal)));
        }
        // The average scores in eval what training reported for it (the log's last EMA line), and not what the live weights score.
        var log = File.ReadAllLines(Path.Combine(logFolder, TrainingLogWriter.TextLogName));
        var averaged = Evaluation("--ema-weights");
        Assert.Equal(Scores(log.Single(line => line.StartsWith("EMA  : [002/002]", StringComparison.Ordinal))), averaged);
        Assert.Equal(Scores(log.Single(line => line.StartsWith("Val  : [002/002]", StringComparison.Ordinal))), Evaluation());
        Assert.NotEqual(averaged, Evaluation());
        Assert.Matches(@"Val  : \[002/002\].*\tEMA Top@1: \d+\.\d{4}\n", output);
    }

    [Fact]
    public void EmaWeightsOfACheckpointWithoutAnAverageIsAnErrorNamingTheFile()
    {
        using var temp = new TempFolder();
        var data = "fashion-mnist:" + CommandLineTests.FashionSubsetFolder(temp, 64, 64);
        var (code, output, error) = CommandRunner.Run(TestModels.All, "train", "--model", "Tiny-Fashion", "--data", data, "--epochs", "1",
            "-b", "64", "--logdir", temp.Combine("runs"));
        Assert.True(code == 0, output + error);
        var checkpoint = Path.Combine(temp.Combine("runs", "Tiny-Fashion"), TrainingLoop.CheckpointFileName);

        (code, _, error) = CommandRunner.Run(TestModels.All, "eval", "--model", "Tiny-Fashion", "--data", data, "--weights", checkpoint, "--ema-weights");
        Assert.Equal(1, code);
        Assert.Contains(checkpoint, error);
        Assert.Contains("has no ema_state_dict; it was trained without --ema", error);

        (code, _, error) = CommandRunner.Run(TestModels.All, "export", "--model", "Tiny-Fashion", "--weights", checkpoint, "--ema-weights",
            "--output", temp.Combine("tiny.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("has no ema_state_dict; it was trained without --ema", error);

        (code, _, error) = CommandRunner.Run(TestModels.All, "eval", "--model", "Tiny-Fashion", "--data", data, "--ema-weights");
        Assert.Equal(2, code);
        Assert.Contains("--ema-weights takes the average of the weights in a checkpoint: give it with --weights", error);
    }
}
