using System.Diagnostics;

namespace Dsl.Benchmarks;

/// <summary>Timings of one workload in milliseconds: the median is reported, min and max show the noise.</summary>
public sealed record Measurement(IReadOnlyList<double> Milliseconds)
{
    public double Median
    {
        get
        {
            var sorted = Milliseconds.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public double Min => Milliseconds.Min();
    public double Max => Milliseconds.Max();

    /// <summary>All samples of several rounds together.</summary>
    public static Measurement Pool(IEnumerable<Measurement> rounds) => new(rounds.SelectMany(r => r.Milliseconds).ToArray());

    /// <summary>Runs the workload a few times untimed (allocator and kernel caches warm up), then times each repeat.</summary>
    public static Measurement Of(Action workload, int warmUp, int repeats)
    {
        for (var i = 0; i < warmUp; i++) workload();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            workload();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        return new Measurement(times);
    }
}
