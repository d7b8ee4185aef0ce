namespace Dsl.Runtime.Tests.Platform;

public sealed class NativeHeapTests
{
    [Fact]
    public void TheMemoryOfFreedTensorsIsReusedWithoutFreshPages()
    {
        TorchRuntime.EnsureLoaded();
        Assert.True(NativeHeap.KeepsFreedMemory);
        const int Tensors = 24;
        const long Floats = 2 << 20; // 8 MiB each: glibc's default would map each one and give it back when freed.
        // The round right after the warm-up may still take some fresh pages (8,196 faults measured, then 4 in the next
        // rounds), depending on what the process allocated before: the fewest of three rounds is the settled heap.
        AllocateAndTouch();
        var faults = Enumerable.Range(0, 3).Min(_ =>
        {
            var before = MinorPageFaults();
            AllocateAndTouch();
            return MinorPageFaults() - before;
        });
        // 192 MiB in fresh pages would be 49,152 faults of 4 KiB; reused memory needs almost none.
        Assert.True(faults < Tensors * Floats * 4 / 4096 / 10, $"{faults} page faults for memory freed just before");

        static void AllocateAndTouch()
        {
            using var scope = NewDisposeScope();
            for (var i = 0; i < Tensors; i++) ones(Floats);
        }
    }

    /// <summary>This process's minor page faults so far (/proc/self/stat, field 10).</summary>
    private static long MinorPageFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the parenthesized command name, which may itself hold spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7]);
    }
}
