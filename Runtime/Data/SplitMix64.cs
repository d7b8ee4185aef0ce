namespace Dsl.Runtime.Data;

/// <summary>
/// A small, fast generator (SplitMix64) whose sequence is fixed by its seed on every platform and runtime,
/// so shuffles and augmentations replay exactly after a resume.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    /// <summary>A seed mixed from several values (seed, epoch, sample index).</summary>
    public static ulong Mix(params ReadOnlySpan<ulong> parts)
    {
        ulong h = 0x9E3779B97F4A7C15;
        foreach (var part in parts) h = Finalize(h ^ Finalize(part + 0x632BE59BD9B4E019));
        return h;
    }

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15;
        return Finalize(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        return (int)((NextUInt64() >> 33) * (ulong)maxExclusive >> 31);
    }

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    /// <summary>A Fisher-Yates permutation of 0..count-1.</summary>
    public int[] Permutation(int count)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        for (var i = count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
