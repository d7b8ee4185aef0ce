using System.Globalization;
using Dsl.Benchmarks;
using Dsl.Runtime;

// Times two workloads in this runtime and, in the same run, in PyTorch (peer.py), and prints both and their ratio.
// Rounds alternate between the two so that a change in machine load hits both sides alike.
// Usage: Dsl.Benchmarks [--threads N] [--rounds N] [--repeats N] [--small-repeats N] [--warm-up N] [--python PATH]
Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
TorchSharp.torch.set_num_threads(options.Threads);
TorchSharp.torch.manual_seed(0);

using var session = TorchSharp.torch.NewDisposeScope();   // owns the workloads' inputs
var smallOpsWorkload = Workloads.SmallOps();
var convWorkload = Workloads.ConvForwardBackward();
var script = Path.Combine(AppContext.BaseDirectory, "peer.py");
Console.WriteLine($"threads {TorchSharp.torch.get_num_threads()}, rounds {options.Rounds}, warm-up {options.WarmUp}, " +
                  $"repeats {options.SmallRepeats} (small ops) / {options.ConvRepeats} (conv) per round");

var ours = new List<(Measurement SmallOps, Measurement Conv)>();
var theirs = new List<PeerResult>();
string? peerProblem = null;
for (var round = 0; round < options.Rounds; round++)
{
    ours.Add((Measurement.Of(smallOpsWorkload, options.WarmUp, options.SmallRepeats),
        Measurement.Of(convWorkload, options.WarmUp, options.ConvRepeats)));
    if (peerProblem is not null) continue;
    try
    {
        theirs.Add(PeerProcess.Run(options.Python, script, options.Threads, options.WarmUp, options.SmallRepeats, options.ConvRepeats));
    }
    catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or System.ComponentModel.Win32Exception)
    {
        peerProblem = e.Message;
        Console.Error.WriteLine($"PyTorch peer unavailable: {e.Message}");
    }
    var last = ours[^1];
    var peer = theirs.Count > round ? theirs[round] : null;
    Console.WriteLine($"round {round + 1}: ours/PyTorch median wall (cpu): small ops {Ratio(last.SmallOps, peer?.SmallOps)}, conv {Ratio(last.Conv, peer?.Conv)}");
}

if (theirs.Count > 0) Console.WriteLine($"PyTorch {theirs[0].TorchVersion} ({options.Python}), threads {theirs[0].Threads}");
Console.WriteLine();
Console.WriteLine($"{"workload",-30} {"ours wall ms med (min-max)",-28} {"cpu",8}   {"PyTorch wall ms med (min-max)",-29} {"cpu",8}   {"ours/PyTorch wall (cpu)",-22}");
var peerSmall = theirs.Count > 0 ? Measurement.Pool(theirs.Select(t => t.SmallOps)) : null;
var peerConv = theirs.Count > 0 ? Measurement.Pool(theirs.Select(t => t.Conv)) : null;
Row($"{Workloads.SmallOpCount}x relu(x+y), 16x16", Measurement.Pool(ours.Select(o => o.SmallOps)), peerSmall);
Row("conv3x3 16x64x56x56 fwd+bwd", Measurement.Pool(ours.Select(o => o.Conv)), peerConv);
return peerProblem is null ? 0 : 1;

static string Ratio(Measurement ours, Measurement? theirs) =>
    theirs is null ? "n/a" : string.Create(CultureInfo.InvariantCulture,
        $"{ours.WallMedian / theirs.WallMedian:F3} ({ours.CpuMedian / theirs.CpuMedian:F3})");

static void Row(string name, Measurement ours, Measurement? theirs)
{
    static string Wall(Measurement? m) => m is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{m.WallMedian:F2} ({m.WallMin:F2}-{m.WallMax:F2})");
    static string Cpu(Measurement? m) => m is null ? "n/a" : m.CpuMedian.ToString("F2", CultureInfo.InvariantCulture);
    Console.WriteLine($"{name,-30} {Wall(ours),-28} {Cpu(ours),8}   {Wall(theirs),-29} {Cpu(theirs),8}   {Ratio(ours, theirs),-22}");
}

internal sealed record Options(int Threads, int Rounds, int WarmUp, int SmallRepeats, int ConvRepeats, string Python)
{
    public static Options Parse(string[] args)
    {
        var options = new Options(TorchSharp.torch.get_num_threads(), 3, 2, 30, 7, "/usr/bin/python3");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Count()
            {
                var text = Value();
                return int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"'{text}' is not a positive count");
            }
            options = args[i] switch
            {
                "--threads" => options with { Threads = Count() },
                "--rounds" => options with { Rounds = Count() },
                "--repeats" => options with { ConvRepeats = Count() },
                "--small-repeats" => options with { SmallRepeats = Count() },
                "--warm-up" => options with { WarmUp = Count() },
                "--python" => options with { Python = Value() },
                _ => throw new ArgumentException($"unknown option '{args[i]}': use --threads, --rounds, --repeats, --small-repeats, --warm-up, --python"),
            };
        }
        return options;
    }
}
