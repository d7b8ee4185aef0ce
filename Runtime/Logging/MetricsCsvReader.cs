using System.Globalization;

namespace Dsl.Runtime.Logging;

/// <summary>Reads metrics.csv back, so a resumed run's curves show the epochs before the resume. Columns are found by
/// their header names, so columns added later (the averaged weights' ema_val_loss and ema_val_top1) are read when present.</summary>
public static class MetricsCsvReader
{
    public static IReadOnlyList<EpochFigures> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return [];
        var names = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(names, name);
        var (epoch, rate, trainLoss, trainTop1) = (Column("epoch"), Column("learning_rate"), Column("train_loss"), Column("train_top1"));
        if (Math.Min(Math.Min(epoch, rate), Math.Min(trainLoss, trainTop1)) < 0)
            throw new InvalidDataException($"{path}: the header lacks epoch, learning_rate, train_loss or train_top1");
        var (valLoss, valTop1, emaLoss, emaTop1) = (Column("val_loss"), Column("val_top1"), Column("ema_val_loss"), Column("ema_val_top1"));

        var rows = new List<EpochFigures>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            if (cells.Length != names.Length)
                throw new InvalidDataException($"{path}: the row '{line}' has {cells.Length} cells, the header {names.Length}");
            double Number(int column) => double.Parse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture);
            // MetricsCsv writes NaN where an epoch had no validation, and leaves the EMA cells empty without an average.
            double? Optional(int column) => column < 0 || cells[column].Length == 0 || double.IsNaN(Number(column)) ? null : Number(column);
            rows.Add(new EpochFigures(int.Parse(cells[epoch], CultureInfo.InvariantCulture), Number(rate), Number(trainLoss),
                Number(trainTop1), Optional(valLoss), Optional(valTop1), Optional(emaLoss), Optional(emaTop1)));
        }
        return rows;
    }
}
