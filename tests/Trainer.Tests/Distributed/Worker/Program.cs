using System.Diagnostics;
using System.Globalization;
using Dsl.Runtime;
using Dsl.Runtime.Distributed;
using Dsl.Runtime.Optim;
using Dsl.Trainer.Tests.Distributed;

// One rank of a data-parallel job on the tiny conv net. Modes:
//   train  --steps N --batch B [--checkpoint FILE] [--timeout-seconds S] [--step-delay-ms D] [--sync-bn]
//   fail   --fail-rank R --code C          (rank R exits with code C after joining; the others sleep)
//   bench  --steps N --batch B [--image H] [--width W]
//   launch N MODE ...                      (runs MODE in N local ranks through LocalLauncher)
try
{
    if (args.Length == 0) throw new ArgumentException("usage: train|fail|bench|launch N MODE ...");
    return args[0] switch
    {
        "launch" => LocalLauncher.Run(int.Parse(args[1], CultureInfo.InvariantCulture), args[2..]),
        "train" => Train(new Options(args[1..])),
        "fail" => Fail(new Options(args[1..])),
        "bench" => Bench(new Options(args[1..])),
        _ => throw new ArgumentException($"unknown mode '{args[0]}'"),
    };
}
catch (Exception e)
{
    Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
    return 2;
}

static int Train(Options options)
{
    var steps = options.Int("steps", 5);
    var batch = options.Int("batch", 4);
    var delay = options.Int("step-delay-ms", 0);
    var checkpoint = options.Text("checkpoint");
    var syncBn = options.Flag("sync-bn");
    using var context = DistributedContext.FromEnvironment(DistributedBackend.Gloo, TimeSpan.FromSeconds(options.Int("timeout-seconds", 20)));
    Torch.ManualSeed(1000UL + (ulong)context.Rank);
    using var model = new TinyConvNet(syncBn ? TinyNorm.SyncBatchNorm : TinyNorm.BatchNorm);
    var parallel = context.Group is null ? null : new DistributedDataParallel(model, context.Group, syncBn);
    using var optimizer = new Sgd(model, 0.05, momentum: 0.9);
    for (var step = 1; step <= steps; step++)
    {
        using var scope = new TensorScope();
        var input = Tensor.Randn([batch, 3, 8, 8]);
        var target = Tensor.FromArray(Enumerable.Range(0, batch).Select(i => (long)((i + step) % 10)).ToArray(), batch);
        var loss = Functional.CrossEntropy(model.Forward(input), target);
        optimizer.ZeroGrad();
        loss.Backward();
        parallel?.SynchronizeGradients();
        optimizer.Step();
        Console.WriteLine($"rank {context.Rank} step {step} loss {loss.Item().ToString("R", CultureInfo.InvariantCulture)}");
        if (context.IsMaster && checkpoint is not null)
        {
            TinyCheckpoint.Write(model, checkpoint);
            Console.WriteLine($"checkpoint {step} checksum {TinyCheckpoint.Checksum(model.StateDict()).ToString("R", CultureInfo.InvariantCulture)}");
        }
        if (delay > 0) Thread.Sleep(delay);
    }
    context.Barrier();
    Console.WriteLine($"rank {context.Rank} done");
    return 0;
}

static int Fail(Options options)
{
    using var context = DistributedContext.FromEnvironment(DistributedBackend.Gloo, TimeSpan.FromSeconds(options.Int("timeout-seconds", 120)));
    context.Barrier();
    Console.WriteLine($"rank {context.Rank} joined");
    if (context.Rank == options.Int("fail-rank", 1)) return options.Int("code", 3);
    // Outside any collective this rank cannot notice the failure: only the launcher can end this wait early.
    Thread.Sleep(TimeSpan.FromSeconds(options.Int("wait-seconds", 120)));
    return 0;
}

static int Bench(Options options)
{
    var steps = options.Int("steps", 20);
    var batch = options.Int("batch", 32);
    var image = options.Int("image", 32);
    var width = options.Int("width", 32);
    using var context = DistributedContext.FromEnvironment();
    Torch.ManualSeed(7);
    using var model = new TinyConvNet(TinyNorm.BatchNorm, width);
    var parallel = context.Group is null ? null : new DistributedDataParallel(model, context.Group);
    using var optimizer = new Sgd(model, 0.01, momentum: 0.9);
    const int warmup = 3;
    var clock = new Stopwatch();
    var communication = TimeSpan.Zero;
    var waiting = TimeSpan.Zero;
    for (var step = 0; step < warmup + steps; step++)
    {
        if (step == warmup) clock.Start();
        using var scope = new TensorScope();
        var input = Tensor.Randn([batch, 3, image, image]);
        var target = Tensor.Zeros([batch], DType.Int64);
        var loss = Functional.CrossEntropy(model.Forward(input), target);
        optimizer.ZeroGrad();
        loss.Backward();
        if (parallel is not null)
        {
            // The barrier separates waiting for a slower rank from the all-reduce itself.
            var waited = Stopwatch.StartNew();
            context.Barrier();
            parallel.SynchronizeGradients();
            if (step >= warmup)
            {
                waiting += waited.Elapsed - parallel.LastSynchronizationTime;
                communication += parallel.LastSynchronizationTime;
            }
        }
        optimizer.Step();
    }
    clock.Stop();
    var imagesPerSecond = steps * batch * context.WorldSize / clock.Elapsed.TotalSeconds;
    if (context.IsMaster)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ranks {context.WorldSize} batch/rank {batch} image {image} params {model.ParameterCount()} threads/rank {Torch.Threads}: " +
            $"{imagesPerSecond:F1} images/s, {clock.Elapsed.TotalMilliseconds / steps:F1} ms/step, all-reduce {communication.TotalMilliseconds / steps:F2} ms/step, " +
            $"waiting for the slower rank {waiting.TotalMilliseconds / steps:F2} ms/step"));
    return 0;
}

sealed class Options(string[] args)
{
    public string? Text(string name)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public int Int(string name, int fallback) =>
        Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => args.Contains("--" + name);
}
