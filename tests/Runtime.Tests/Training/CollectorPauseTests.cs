using System.Runtime;

namespace Dsl.Runtime.Tests.Training;

/// <summary>No collection runs within a step's pause, one may run after it, and pauses do not nest.</summary>
public sealed class CollectorPauseTests
{
    [Fact]
    public void NoCollectionRunsWhileAStepAllocatesWithinItsBudget()
    {
        int collections;
        long kept = 0;
        using (CollectorPause.Start())
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            collections = GC.CollectionCount(0);
            // 16 MB in small arrays: a few collections' worth of gen0 allocation without the pause.
            for (var i = 0; i < 16 * 1024; i++) kept += new byte[1000].Length;
            Assert.Equal(collections, GC.CollectionCount(0));

            using (CollectorPause.Start()) Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(16L * 1024 * 1000, kept);
    }

    [Fact]
    public void AStepThatOutgrowsItsBudgetEndsCleanly()
    {
        using (CollectorPause.Start())
        {
            for (var i = 0; i < (int)(CollectorPause.Budget / 1000) * 2; i++) _ = new byte[1000];
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
