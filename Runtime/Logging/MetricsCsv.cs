using System.Globalization;
using Dsl.Runtime.Training;

namespace Dsl.Runtime.Logging;

/// <summary>metrics.csv: one row per epoch, appended (a resumed run continues the same file). The averaged weights'
/// columns come last, so that readers of the earlier columns are unaffected, and are empty for a run without an average.</summary>
public sealed class MetricsCsv
{
    public const string Header = "epoch,learning_rate,train_loss,train_top1,train_top5,val_loss,val_top1,val_top5,best_val_top1,train_seconds,val_seconds,ema_val_loss,ema_val_top1";

    public MetricsCsv(string path)
    {
        Path = path;
        if (!File.Exists(path) || new FileInfo(path).Length == 0) File.WriteAllText(path, Header + "\n");
        else Widen(path);
    }

    // A file begun before the last columns existed (a resumed run of an older build) gains them, empty, so that its rows
    // and the rows appended now have the header's columns.
    private static void Widen(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines[0] == Header || !Header.StartsWith(lines[0] + ",", StringComparison.Ordinal)) return;
        var missing = new string(',', Header.Count(c => c == ',') - lines[0].Count(c => c == ','));
        File.WriteAllLines(path, [Header, .. lines[1..].Select(row => row.Length == 0 ? row : row + missing)]);
    }

    public string Path { get; }

    public void Append(EpochReport r)
    {
        var v = r.Validation;
        var row = string.Join(",", new object[]
        {
            r.Epoch + 1, r.LearningRate, r.Train.Loss, r.Train.Top1, r.Train.Top5,
            v?.Loss ?? double.NaN, v?.Top1 ?? double.NaN, v?.Top5 ?? double.NaN, r.BestTop1,
            r.Train.Elapsed.TotalSeconds, v?.Elapsed.TotalSeconds ?? 0,
            (object?)r.EmaValidation?.Loss ?? "", (object?)r.EmaValidation?.Top1 ?? "",
        }.Select(x => Convert.ToString(x, CultureInfo.InvariantCulture)));
        File.AppendAllText(Path, row + "\n");
    }
}
