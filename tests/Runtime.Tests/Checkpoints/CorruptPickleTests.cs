using System.IO.Compression;

namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Damaged pickles must fail with a CheckpointException, never another exception, a crash or a hang.</summary>
public sealed class CorruptPickleTests
{
    private static readonly byte[] FixturePickle = ReadFixturePickle();

    private static byte[] ReadFixturePickle()
    {
        using var zip = ZipFile.OpenRead(TestPaths.FixtureCheckpoint);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static object? Load(byte[] pickle)
    {
        var calls = new PickleCalls("corrupt.pt", pickle.Length, (key, dtype, count) =>
        {
            if (count > 1 << 20) throw new CheckpointException("corrupt.pt", $"storage '{key}' is too large for this test");
            return new TorchStorage(key, dtype, count, zeros([count], dtype).DetachFromDisposeScope());
        });
        try
        {
            return new PickleReader(pickle, "corrupt.pt", calls).Load();
        }
        finally
        {
            foreach (var storage in calls.Storages) storage.Dispose();
            foreach (var tensor in calls.Tensors) tensor.Dispose();
        }
    }

    [Fact]
    public void EveryTruncationIsACheckpointException()
    {
        Assert.IsType<PickleDict>(Load(FixturePickle));
        for (var length = 0; length < FixturePickle.Length; length += 1009)
        {
            var error = Record.Exception(() => Load(FixturePickle[..length]));
            Assert.True(error is CheckpointException, $"truncating to {length} bytes gave {error?.GetType().Name ?? "no error"}: {error?.Message}");
        }
    }

    [Fact]
    public void RandomByteDamageNeverEscapesAsAnotherException()
    {
        var random = new Random(1234);
        for (var trial = 0; trial < 100; trial++)
        {
            var damaged = (byte[])FixturePickle.Clone();
            for (var flips = 0; flips < 3; flips++) damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            var error = Record.Exception(() => Load(damaged));
            Assert.True(error is null or CheckpointException, $"trial {trial} gave {error?.GetType().Name}: {error?.Message}");
        }
    }
}
