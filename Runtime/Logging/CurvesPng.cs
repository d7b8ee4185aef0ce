using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace Dsl.Runtime.Logging;

/// <summary>Draws curves.png: three panels, loss, top-1 and learning rate against the epoch.</summary>
public static class CurvesPng
{
    public const int Width = 1200;
    public const int Height = 900;

    /// <summary>Skia's NoDependencies build reads the fonts under /usr/share/fonts itself; with none its default
    /// typeface is an empty one (no glyphs, one nameless family) and every text is silently left out.</summary>
    public static bool HasFonts => SKTypeface.Default.GlyphCount > 0;

    /// <summary>Writes the picture to a temporary file beside <paramref name="path"/>, then moves it over, so a reader
    /// never sees half a picture.</summary>
    public static void Write(IReadOnlyList<EpochFigures> series, string path)
    {
        using var loss = Panel("Loss", "loss", Alignment.UpperRight);
        Line(loss, "train", series, f => f.TrainLoss);
        Line(loss, "validation", series, f => f.ValidationLoss);
        Line(loss, "EMA validation", series, f => f.EmaLoss);
        using var top1 = Panel("Top-1 accuracy", "top-1 %", Alignment.LowerRight);
        Line(top1, "train", series, f => f.TrainTop1);
        Line(top1, "validation", series, f => f.ValidationTop1);
        Line(top1, "EMA validation", series, f => f.EmaTop1);
        using var rate = Panel("Learning rate", "learning rate", Alignment.UpperRight);
        Line(rate, "learning rate", series, f => f.LearningRate);

        // Epochs count from 1; a quarter epoch either side keeps the end markers whole.
        var last = series.Count == 0 ? 1 : series[^1].Epoch;
        foreach (var plot in new[] { loss, top1, rate })
        {
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsX(0.75, last + 0.25);
        }
        var figure = new Multiplot(loss) { Layout = new ScottPlot.MultiplotLayouts.Rows() };
        figure.AddPlot(top1);
        figure.AddPlot(rate);
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height))
            ?? throw new InvalidOperationException($"Skia could not make a {Width}x{Height} surface");
        figure.Render(surface);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary)) png.SaveTo(file);
        File.Move(temporary, path, overwrite: true);
    }

    private static Plot Panel(string title, string yLabel, Alignment legend)
    {
        var plot = new Plot();
        // ScottPlot's own guess takes DejaVu Serif where only the DejaVu fonts are installed.
        if (SKFontManager.Default.GetFontFamilies().FirstOrDefault(f => f.Contains("Sans") && !f.Contains("Mono")) is { } sans)
            plot.Font.Set(sans);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Legend.Alignment = legend;
        plot.ShowLegend();
        return plot;
    }

    private static void Line(Plot plot, string name, IReadOnlyList<EpochFigures> series, Func<EpochFigures, double?> figure)
    {
        var (epochs, values) = Points(series, figure);
        if (epochs.Length == 0) return;
        plot.Add.Scatter(epochs, values).LegendText = name;
    }

    /// <summary>The epochs that have the figure, and its values. A diverged epoch's NaN or infinite loss is left out:
    /// an infinity would leave the axis unscaled and hide the whole curve.</summary>
    internal static (double[] Epochs, double[] Values) Points(IReadOnlyList<EpochFigures> series, Func<EpochFigures, double?> figure)
    {
        var kept = series.Where(f => figure(f) is { } value && double.IsFinite(value)).ToList();
        return (kept.Select(f => (double)f.Epoch).ToArray(), kept.Select(f => figure(f)!.Value).ToArray());
    }
}
