using Dsl.Runtime.Logging;
using SkiaSharp;

namespace Dsl.Runtime.Tests.Logging;

public sealed class TrainingCurvesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ThreeEpochsDrawAPictureOfTheirFigures(bool ema)
    {
        Assert.True(CurvesPng.HasFonts, "no fonts under /usr/share/fonts: the picture would have no text (scripts/setup.sh installs fonts-dejavu-core)");
        using var temp = new TempFolder();
        var warnings = new List<string>();
        var curves = new TrainingCurves(temp.Path, resume: false, warnings.Add);
        var reports = Enumerable.Range(0, 3).Select(e => Report(e, ema)).ToList();
        foreach (var report in reports) curves.EpochCompleted(report);

        Assert.Empty(warnings);
        Assert.Equal([1, 2, 3], curves.Series.Select(f => f.Epoch));
        Assert.Equal(reports.Select(r => r.LearningRate), curves.Series.Select(f => f.LearningRate));
        Assert.Equal(reports.Select(r => r.Train.Loss), curves.Series.Select(f => f.TrainLoss));
        Assert.Equal(reports.Select(r => r.Train.Top1), curves.Series.Select(f => f.TrainTop1));
        Assert.Equal(reports.Select(r => (double?)r.Validation!.Loss), curves.Series.Select(f => f.ValidationLoss));
        Assert.Equal(reports.Select(r => (double?)r.Validation!.Top1), curves.Series.Select(f => f.ValidationTop1));
        Assert.Equal(reports.Select(r => r.EmaValidation?.Loss), curves.Series.Select(f => f.EmaLoss));
        Assert.Equal(reports.Select(r => r.EmaValidation?.Top1), curves.Series.Select(f => f.EmaTop1));
        Assert.Equal(ema, curves.Series.All(f => f.EmaTop1 is not null));

        Assert.Equal(temp.Combine(TrainingCurves.FileName), curves.Path);
        Assert.Equal([curves.Path], Directory.GetFiles(temp.Path));
        using var picture = SKBitmap.Decode(curves.Path);
        Assert.Equal((CurvesPng.Width, CurvesPng.Height), (picture.Width, picture.Height));
        var pixels = picture.Pixels;
        Assert.InRange(pixels.Count(p => p != SKColors.White), pixels.Length / 50, pixels.Length);
        Assert.InRange(pixels.Distinct().Count(), 50, pixels.Length);
        // The first panel's title is text: with no font the band above its frame stays white.
        Assert.Contains(Band(picture, 0, 25), p => p.Red < 128 && p.Green < 128 && p.Blue < 128);
    }

    [Fact]
    public void AResumedRunStartsFromTheEpochsOfMetricsCsv()
    {
        using var temp = new TempFolder();
        var csv = new MetricsCsv(temp.Combine(TrainingLogWriter.MetricsName));
        for (var epoch = 0; epoch < 3; epoch++) csv.Append(Report(epoch, ema: false));

        Assert.Empty(new TrainingCurves(temp.Path, resume: false, _ => { }).Series);
        var warnings = new List<string>();
        var curves = new TrainingCurves(temp.Path, resume: true, ButFonts(warnings));
        Assert.Empty(warnings);
        Assert.Equal([1, 2, 3], curves.Series.Select(f => f.Epoch));
        Assert.Equal(Report(1, false).Train.Loss, curves.Series[1].TrainLoss);
        Assert.Equal(Report(2, false).Validation!.Top1, curves.Series[2].ValidationTop1);
        Assert.Equal(Report(0, false).LearningRate, curves.Series[0].LearningRate);

        // The checkpoint held two epochs: its third replaces the one metrics.csv holds.
        var third = Report(2, ema: true);
        curves.EpochCompleted(third);
        Assert.Equal([1, 2, 3], curves.Series.Select(f => f.Epoch));
        Assert.Equal(third.EmaValidation!.Loss, curves.Series[2].EmaLoss);
        Assert.True(File.Exists(curves.Path));
    }

    [Fact]
    public void TheReaderTakesColumnsByNameAndNaNAsNoValidation()
    {
        using var temp = new TempFolder();
        var path = temp.Combine(TrainingLogWriter.MetricsName);
        File.WriteAllText(path, "epoch,learning_rate,train_loss,train_top1,val_loss,val_top1,ema_val_loss,ema_val_top1\n"
            + "1,0.1,2.5,10,NaN,NaN,NaN,NaN\n2,0.05,1.5,40,1.75,35,1.625,37.5\n");
        Assert.Equal(
            [new EpochFigures(1, 0.1, 2.5, 10, null, null, null, null), new EpochFigures(2, 0.05, 1.5, 40, 1.75, 35, 1.625, 37.5)],
            MetricsCsvReader.Read(path));

        File.WriteAllText(path, "epoch,loss\n1,2.5\n");
        var warnings = new List<string>();
        Assert.Empty(new TrainingCurves(temp.Path, resume: true, ButFonts(warnings)).Series);
        Assert.Contains("lacks epoch", Assert.Single(warnings));
    }

    [Fact]
    public void AFailedDrawingWarnsOnceAndTrainingGoesOn()
    {
        using var temp = new TempFolder();
        var warnings = new List<string>();
        var curves = new TrainingCurves(temp.Combine("absent"), resume: false, ButFonts(warnings));
        curves.EpochCompleted(Report(0, ema: false));
        curves.EpochCompleted(Report(1, ema: false));
        Assert.StartsWith("curves.png could not be drawn: DirectoryNotFoundException", Assert.Single(warnings));
        Assert.Equal(2, curves.Series.Count);
    }

    [Fact]
    public void ADivergedEpochStillDraws()
    {
        using var temp = new TempFolder();
        var warnings = new List<string>();
        var curves = new TrainingCurves(temp.Path, resume: false, ButFonts(warnings));
        curves.EpochCompleted(Report(0, ema: false));
        var diverged = Report(1, ema: false);
        curves.EpochCompleted(diverged with { Train = diverged.Train with { Loss = double.NaN }, Validation = diverged.Validation! with { Loss = double.PositiveInfinity } });
        Assert.Empty(warnings);
        Assert.True(double.IsNaN(curves.Series[1].TrainLoss));
        var (epochs, losses) = CurvesPng.Points(curves.Series, f => f.TrainLoss);
        Assert.Equal([1.0], epochs);
        Assert.Equal([Report(0, false).Train.Loss], losses);
        Assert.Equal([1.0], CurvesPng.Points(curves.Series, f => f.ValidationLoss).Epochs);
        Assert.Equal([1.0, 2.0], CurvesPng.Points(curves.Series, f => f.TrainTop1).Epochs);
        using var picture = SKBitmap.Decode(curves.Path);
        Assert.Equal(CurvesPng.Width, picture.Width);
    }

    /// <summary>Collects the warnings but the one about missing fonts, which only the picture test is about.</summary>
    private static Action<string> ButFonts(List<string> warnings) => w =>
    {
        if (!w.StartsWith("no fonts")) warnings.Add(w);
    };

    private static EpochReport Report(int epoch, bool ema) =>
        new(epoch, 3, 0.1 / (epoch + 1), Metrics(2.0 - 0.5 * epoch, 30 + 20 * epoch), Metrics(2.25 - 0.5 * epoch, 25 + 20 * epoch),
            BestTop1: 25 + 20 * epoch, IsBest: true, ema ? Metrics(2.125 - 0.5 * epoch, 27.5 + 20 * epoch) : null);

    private static EpochMetrics Metrics(double loss, double top1) => new(loss, top1, 100, 64, 4, 1.5, 0.25, TimeSpan.FromSeconds(1));

    private static IEnumerable<SKColor> Band(SKBitmap picture, int top, int bottom)
    {
        for (var y = top; y < bottom; y++)
            for (var x = 0; x < picture.Width; x++)
                yield return picture.GetPixel(x, y);
    }
}
