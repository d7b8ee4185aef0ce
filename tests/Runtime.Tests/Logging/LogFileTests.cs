using Dsl.Runtime;
using Dsl.Runtime.Logging;

namespace Dsl.Runtime.Tests.Logging;

public sealed class LogFileTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void EventFileReadsBackWithValidRecords()
    {
        using var temp = new TempFolder();
        string path;
        using (var writer = new TensorBoardWriter(temp.Path))
        {
            writer.Scalar("val-top1", 87.25, 3);
            writer.Scalar("learnnig-rate", 0.05, 4);
            path = writer.Path;
        }
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(path));
        var events = TensorBoardReader.Read(path);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(("val-top1", 87.25f), events[1].Scalars.Single());
        Assert.Equal(3, events[1].Step);
        Assert.Equal(("learnnig-rate", 0.05f), events[2].Scalars.Single());
        Assert.InRange(events[2].WallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("CRC", Assert.Throws<InvalidDataException>(() => TensorBoardReader.Read(path)).Message);
    }

    // Two epochs of a tiny net on synthetic data, logged into the folder; the event file's path.
    private static string TrainTwoEpochs(TempFolder temp, double ema = 0)
    {
        var data = new SyntheticDataset(64, 3, 1, 8, 8, seed: 4);
        using var model = new TinyNet(1, 3);
        using var log = new TrainingLogWriter(temp.Path, append: false, ["Namespace(model='tiny')"]);
        new TrainingLoop(model, new DataLoader(data, 16, true), new DataLoader(data, 32, false),
            new TrainingOptions { Epochs = 2, LogFolder = temp.Path, Architecture = "tiny", Ema = ema }, observer: log).Run();
        return log.EventFile;
    }

    private static List<(long Step, string Tag, float Value)> Scalars(string eventFile) =>
        [.. TensorBoardReader.Read(eventFile).SelectMany(e => e.Scalars.Select(s => (e.Step, s.Tag, s.Value)))];

    [Fact]
    public void TrainingWritesTheOriginalLogLinesCsvAndScalars()
    {
        using var temp = new TempFolder();
        var eventFile = TrainTwoEpochs(temp);
        var lines = File.ReadAllLines(temp.Combine(TrainingLogWriter.TextLogName));
        Assert.Equal("Namespace(model='tiny')", lines[0]);
        // The run's decisions follow the header, then the original's lines.
        Assert.Equal("precision fp32 (float32 was asked for)", lines[1]);
        Assert.Equal("memory format nchw (NCHW was asked for)", lines[2]);
        Assert.Matches(@"^Train: \[001/002\]\tLoss: \d+\.\d{4}\tTop@1: \d+\.\d{4}\tTop@5: 100\.0000\tSpeed: \d+\.\d\d ms/batch\tData loading: \d+\.\d\d ms/batch$", lines[3]);
        Assert.Matches(@"^Val  : \[001/002\]\tLoss: \d+\.\d{4}\tTop@1: \d+\.\d{4}\tTop@5: \d+\.\d{4}\tSpeed: \d+\.\d\d ms/batch$", lines[4]);
        Assert.StartsWith("Train: [002/002]", lines[5]);

        var csv = File.ReadAllLines(temp.Combine(TrainingLogWriter.MetricsName));
        Assert.Equal(MetricsCsv.Header, csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("2,", csv[2]);
        // Without an average its columns are empty.
        Assert.All(csv[1..], row => Assert.EndsWith(",,", row));

        var scalars = Scalars(eventFile);
        Assert.Equal(["learnnig-rate", "train-loss", "train-top1", "val-loss", "val-top1", "best-val-top1"],
            scalars.Where(s => s.Step == 1).Select(s => s.Tag));
        Assert.Equal(0.1f, scalars.Single(s => s.Step == 1 && s.Tag == "learnnig-rate").Value, 6);
        Assert.Equal(0.05f, scalars.Single(s => s.Step == 2 && s.Tag == "learnnig-rate").Value, 6);
        var valTop1 = scalars.Where(s => s.Tag == "val-top1").Select(s => s.Value).ToList();
        Assert.Equal(valTop1.Max(), scalars.Single(s => s.Step == 2 && s.Tag == "best-val-top1").Value);
    }

    [Fact]
    public void AResumedCsvOfAnOlderBuildGainsTheAveragesEmptyColumns()
    {
        using var temp = new TempFolder();
        var path = temp.Combine(TrainingLogWriter.MetricsName);
        var older = MetricsCsv.Header.Replace(",ema_val_loss,ema_val_top1", "");
        File.WriteAllText(path, older + "\n1,0.1,2.3,10,50,2.2,12,55,12,1.5,0.5\n");
        _ = new MetricsCsv(path);
        Assert.Equal([MetricsCsv.Header, "1,0.1,2.3,10,50,2.2,12,55,12,1.5,0.5,,"], File.ReadAllLines(path));
        // A file of this build is left as it is.
        _ = new MetricsCsv(path);
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void AnAverageOfTheWeightsAddsItsLineColumnsAndScalars()
    {
        using var temp = new TempFolder();
        var eventFile = TrainTwoEpochs(temp, ema: 0.9);
        var lines = File.ReadAllLines(temp.Combine(TrainingLogWriter.TextLogName));
        var validation = Array.FindIndex(lines, l => l.StartsWith("Val  : [002/002]", StringComparison.Ordinal));
        Assert.Matches(@"^EMA  : \[002/002\]\tLoss: \d+\.\d{4}\tTop@1: \d+\.\d{4}\tTop@5: \d+\.\d{4}\tSpeed: \d+\.\d\d ms/batch$", lines[validation + 1]);
        Assert.Equal(2, lines.Count(l => l.StartsWith("EMA  : ", StringComparison.Ordinal)));

        var csv = File.ReadAllLines(temp.Combine(TrainingLogWriter.MetricsName));
        Assert.EndsWith(",ema_val_loss,ema_val_top1", csv[0]);
        var scalars = Scalars(eventFile);
        foreach (var row in csv[1..])
        {
            var cells = row.Split(',');
            Assert.Equal(csv[0].Split(',').Length, cells.Length);
            var step = long.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(scalars.Single(s => s.Step == step && s.Tag == "ema-val-top1").Value,
                float.Parse(cells[^1], System.Globalization.CultureInfo.InvariantCulture), 4);
            Assert.Equal(scalars.Single(s => s.Step == step && s.Tag == "ema-val-loss").Value,
                float.Parse(cells[^2], System.Globalization.CultureInfo.InvariantCulture), 4);
        }
    }
}
