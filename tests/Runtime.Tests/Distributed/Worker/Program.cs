using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Dsl.Runtime.Platform;
using Dsl.Runtime;
using Dsl.Runtime.Compute;
using Dsl.Runtime.Data;
using Dsl.Runtime.Distributed;
using Dsl.Runtime.Training;
using Dsl.Runtime.Tests.Data;
using Dsl.Runtime.Tests.Distributed;
using TorchSharp;
using static TorchSharp.torch;

// One rank of a data-parallel job on the tiny conv net, started by mpirun (or alone). Modes:
//   train --steps N --global-batch G [--norm none|batch] [--sync-bn] [--checkpoint FILE] [--state FILE] [--step-delay-ms D]
//         [--stall-rank R --stall-step S] [--ema DECAY]
//         each step draws G samples from a seed shared by every rank; rank r of W trains on the r-th of W equal slices;
//         rank R sleeps instead of taking step S, so that the others wait for it; --ema keeps an average of the weights,
//         made as the training loop makes it (after the broadcast) and printed after every step beside the state
//   loop --batch B --corrupt I,J,... [--epochs E] [--norm none|batch] [--sync-bn] [--state FILE]
//         the training loop on 32 synthetic samples of which I, J, ... are corrupt (skipped), B per rank and step
//   collectives                            (checks all-reduce, broadcast, barrier and metric sums)
//   fail --fail-rank R --code C            (rank R exits with code C after joining; the others sleep)
//   bench --steps N --batch B [--image H] [--width W]
//   launch N MODE ...                      (runs MODE in N local ranks through LocalLauncher)
TorchRuntime.EnsureLoaded();
if (args.Length > 0 && args[0] == "launch")
    return LocalLauncher.Run(int.Parse(args[1], CultureInfo.InvariantCulture), args[2..]);
using var environment = DistributedEnvironment.Start();
try
{
    if (args.Length == 0) throw new ArgumentException("usage: train|collectives|fail|bench|launch N MODE ...");
    var options = new Options(args[1..]);
    return args[0] switch
    {
        "train" => Train(environment, options),
        "loop" => Loop(environment, options),
        "collectives" => Collectives(environment),
        "fail" => Fail(environment, options),
        "bench" => Bench(environment, options),
        _ => throw new ArgumentException($"unknown mode '{args[0]}'"),
    };
}
catch (Exception e)
{
    Console.Error.WriteLine($"error on {environment}: {e.GetType().Name}: {e.Message}");
    environment.Abort(2);
    return 2;
}

static int Train(DistributedEnvironment environment, Options options)
{
    var steps = options.Int("steps", 5);
    var globalBatch = options.Int("global-batch", 8);
    var delay = options.Int("step-delay-ms", 0);
    var checkpoint = options.Text("checkpoint");
    var norm = options.Text("norm") == "none" ? TinyNorm.None : TinyNorm.BatchNorm;
    if (globalBatch % environment.WorldSize != 0) throw new ArgumentException($"--global-batch {globalBatch} is not a multiple of {environment.WorldSize} ranks");
    var batch = globalBatch / environment.WorldSize;
    Console.WriteLine($"rank {environment.Rank} pid {Environment.ProcessId}");

    // Every rank starts from its own weights: the broadcast at construction must make them equal.
    manual_seed(1000 + environment.Rank);
    using var model = new TinyConvNet(norm);
    using var parallel = environment.Group is { } group ? new DistributedDataParallel(model, group, options.Flag("sync-bn"), bucketBytes: 2048) : null;
    using var average = options.Text("ema") is { } decay ? new WeightAverage(model, double.Parse(decay, CultureInfo.InvariantCulture)) : null;
    var optimizer = optim.SGD(model.parameters(), 0.05, momentum: 0.9);
    Console.WriteLine($"rank {environment.Rank} step 0 state {StateHash(model)}");
    for (var step = 1; step <= steps; step++)
    {
        if (environment.Group is { } stepping) stepping.Step = $"step {step}";
        if (environment.Rank == options.Int("stall-rank", -1) && step == options.Int("stall-step", 0))
        {
            Console.WriteLine($"rank {environment.Rank} stalls at step {step}");
            Thread.Sleep(TimeSpan.FromMinutes(10));
        }
        using var scope = NewDisposeScope();
        var generator = new Generator().manual_seed(step);
        var input = randn([globalBatch, 3, 8, 8], generator: generator).mul(1 + step % 3).add(step % 2);
        var target = randint(10, [globalBatch], generator: generator);
        var slice = (start: environment.Rank * batch, length: batch);
        var loss = nn.functional.cross_entropy(model.call(input.narrow(0, slice.start, slice.length)), target.narrow(0, slice.start, slice.length));
        optimizer.zero_grad();
        loss.backward();
        parallel?.SynchronizeGradients();
        optimizer.step();
        average?.Update(model);
        Console.WriteLine($"rank {environment.Rank} step {step} state {StateHash(model)}");
        if (average is not null) Console.WriteLine($"rank {environment.Rank} step {step} ema {Hash(average.StateDict)}");
        if (environment.IsMaster && checkpoint is not null)
        {
            TinyCheckpoint.Write(model, step, checkpoint);
            Console.WriteLine($"checkpoint {step} {TinyCheckpoint.Checksum(model.state_dict()).ToString("R", CultureInfo.InvariantCulture)}");
        }
        if (delay > 0) Thread.Sleep(delay);
    }
    if (environment.IsMaster && options.Text("state") is { } state) TinyCheckpoint.Write(model, steps, state);
    environment.Barrier();
    Console.WriteLine($"rank {environment.Rank} done");
    return 0;
}

static int Loop(DistributedEnvironment environment, Options options)
{
    var corrupt = (options.Text("corrupt") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => int.Parse(i, CultureInfo.InvariantCulture));
    var dataset = new CorruptSamples(new SyntheticDataset(32, 10, 3, 8, 8, seed: 4), [.. corrupt]);
    // Rank 0 starts as a single process does; the others take its weights.
    manual_seed(1000 + environment.Rank);
    using var model = new TinyConvNet(options.Text("norm") == "batch" ? TinyNorm.BatchNorm : TinyNorm.None);
    var trainingOptions = new TrainingOptions
    {
        Epochs = options.Int("epochs", 1), LearningRate = 0.05, WeightDecay = 0, Precision = Precision.Float32,
        MemoryFormat = MemoryFormat.Nchw, Distributed = environment, SyncBatchNorm = options.Flag("sync-bn"),
    };
    var loader = new DataLoader(dataset, options.Int("batch", 4), shuffle: false, workers: 1);
    new TrainingLoop(model, loader, null, trainingOptions, new EpochPrinter(environment.Rank)).Run();
    Console.WriteLine($"rank {environment.Rank} final state {StateHash(model)}");
    if (environment.IsMaster && options.Text("state") is { } state) TinyCheckpoint.Write(model, 0, state);
    return 0;
}

// A digest of every parameter and buffer: equal digests mean bit-identical replicas.
static string StateHash(nn.Module model) => Hash(model.state_dict());

static string Hash(IEnumerable<KeyValuePair<string, Tensor>> tensors)
{
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    foreach (var (_, tensor) in tensors) hash.AppendData(tensor.contiguous().bytes);
    return Convert.ToHexString(hash.GetHashAndReset());
}

static int Collectives(DistributedEnvironment environment)
{
    var group = environment.Group ?? throw new InvalidOperationException("collectives needs mpirun");
    var r = environment.Rank + 1;
    var world = environment.WorldSize;
    var triangle = world * (world + 1) / 2;
    float[] floats = [r, 2 * r];
    group.AllReduceSum(floats.AsSpan());
    Expect(floats.SequenceEqual([triangle, 2f * triangle]), "float all-reduce", floats);
    double[] doubles = [0.5 * r];
    group.AllReduceSum(doubles.AsSpan());
    Expect(doubles[0] == 0.5 * triangle, "double all-reduce", doubles);
    using var tensor = full(new long[] { 2, 3 }, (double)r, ScalarType.Float32);
    group.AllReduceSum(tensor);
    Expect(tensor.data<float>().All(v => v == triangle), "tensor all-reduce", tensor.data<float>().ToArray());
    using var counts = full(new long[] { 3 }, (long)r, ScalarType.Int64);
    group.AllReduceSum(counts);
    Expect(counts.data<long>().All(v => v == triangle), "int64 all-reduce", counts.data<long>().ToArray());
    using var broadcast = full(new long[] { 4 }, r + 5.0, ScalarType.Float64);
    group.Broadcast(broadcast, root: world - 1);
    Expect(broadcast.data<double>().All(v => v == world + 5.0), "broadcast", broadcast.data<double>().ToArray());
    var sums = environment.SumAcrossRanks(r, 10.0 * r);
    Expect(sums.SequenceEqual([triangle, 10.0 * triangle]), "metric sums", sums);
    environment.Barrier();
    Console.WriteLine($"rank {environment.Rank} of {world} collectives ok");
    return 0;
}

static void Expect<T>(bool condition, string what, IEnumerable<T> got)
{
    if (!condition) throw new InvalidOperationException($"{what} gave [{string.Join(", ", got)}]");
}

static int Fail(DistributedEnvironment environment, Options options)
{
    environment.Barrier();
    Console.WriteLine($"rank {environment.Rank} joined");
    if (environment.Rank == options.Int("fail-rank", 1))
    {
        Console.Error.WriteLine($"rank {environment.Rank} fails on purpose");
        environment.Abort(options.Int("code", 3));
    }
    // Outside any collective this rank cannot notice the failure: only mpirun can end this wait early.
    Thread.Sleep(TimeSpan.FromSeconds(options.Int("wait-seconds", 120)));
    return 0;
}

static int Bench(DistributedEnvironment environment, Options options)
{
    var steps = options.Int("steps", 20);
    var batch = options.Int("batch", 32);
    var image = options.Int("image", 32);
    var width = options.Int("width", 32);
    if (environment.Group is { } group)
    {
        // Ten in-place all-reduces of 4 MB, as DDP's buckets.
        var buffer = new float[1 << 20];
        group.AllReduceSum(buffer.AsSpan());
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++) group.AllReduceSum(buffer.AsSpan());
        if (environment.IsMaster) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ten 4 MB all-reduces: {timer.Elapsed.TotalMilliseconds:F1} ms"));
    }
    manual_seed(7);
    using var model = new TinyConvNet(TinyNorm.BatchNorm, width);
    using var parallel = environment.Group is { } g ? new DistributedDataParallel(model, g) : null;
    var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
    const int Warmup = 3;
    var clock = new Stopwatch();
    var communication = TimeSpan.Zero;
    for (var step = 0; step < Warmup + steps; step++)
    {
        if (step == Warmup) clock.Start();
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(model.call(randn([batch, 3, image, image])), zeros([batch], ScalarType.Int64));
        optimizer.zero_grad();
        loss.backward();
        // The barrier separates waiting for a slower rank from the all-reduce itself.
        environment.Barrier();
        var reduce = Stopwatch.StartNew();
        parallel?.SynchronizeGradients();
        if (step >= Warmup) communication += reduce.Elapsed;
        optimizer.step();
    }
    clock.Stop();
    if (environment.IsMaster)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ranks {environment.WorldSize} batch/rank {batch} image {image} threads/rank {get_num_threads()}: " +
            $"{steps * batch * environment.WorldSize / clock.Elapsed.TotalSeconds:F1} images/s, {clock.Elapsed.TotalMilliseconds / steps:F1} ms/step, " +
            $"gradient synchronization {communication.TotalMilliseconds / steps:F2} ms/step"));
    return 0;
}

sealed class EpochPrinter(int rank) : ITrainingObserver
{
    public void EpochCompleted(EpochReport report) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rank {rank} epoch {report.Epoch + 1} samples {report.Train.Samples} loss {report.Train.Loss:R}"));
}

// A data set whose listed samples cannot be decoded.
sealed class CorruptSamples(IImageDataset inner, HashSet<int> corrupt) : WrappedDataset(inner)
{
    public override void Load(int index, SplitMix64 random, Span<float> destination)
    {
        if (corrupt.Contains(index)) throw new CorruptImageException($"sample-{index}.jpg", "a corrupt sample, on purpose");
        base.Load(index, random, destination);
    }
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
