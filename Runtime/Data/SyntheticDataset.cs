namespace Dsl.Runtime.Data;

/// <summary>
/// Generated data for smoke runs: each class is a fixed random pattern plus per-sample noise, so a model can
/// learn it, and every sample is reproducible from (seed, index).
/// </summary>
public sealed class SyntheticDataset : IImageDataset
{
    private readonly float[][] patterns;
    private readonly ulong seed;

    public SyntheticDataset(int count, int classes, int channels, int height, int width, ulong seed = 0, float noise = 0.5f)
    {
        if (count <= 0 || classes <= 0) throw new ArgumentOutOfRangeException(nameof(count), "a synthetic data set needs samples and classes");
        (Count, Channels, Height, Width, this.seed, Noise) = (count, channels, height, width, seed, noise);
        ClassNames = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();
        patterns = new float[classes][];
        for (var c = 0; c < classes; c++)
        {
            var random = new SplitMix64(SplitMix64.Mix(seed, (ulong)c, 0xC1A55));
            patterns[c] = new float[channels * height * width];
            for (var i = 0; i < patterns[c].Length; i++) patterns[c][i] = (float)random.Uniform(-1, 1);
        }
    }

    public int Count { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public float Noise { get; }

    public int LabelOf(int index) => (int)(SplitMix64.Mix(seed, (ulong)index) % (ulong)patterns.Length);

    public void Load(int index, SplitMix64 random, Span<float> destination)
    {
        var pattern = patterns[LabelOf(index)];
        var sampleRandom = new SplitMix64(SplitMix64.Mix(seed, (ulong)index, 0x5A));
        for (var i = 0; i < pattern.Length; i++) destination[i] = pattern[i] + Noise * (float)sampleRandom.Uniform(-1, 1);
    }
}
