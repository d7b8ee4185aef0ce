namespace Dsl.Runtime.Tests.Checkpoints;

/// <summary>Runs an action on its own thread and fails the test when it is still running after a time limit (a hang).</summary>
internal static class Within
{
    /// <summary>What the action threw, or null; a hung action keeps its thread, which dies with the test process.</summary>
    public static Exception? Seconds(double limit, Action action)
    {
        var run = Task.Factory.StartNew(() => Record.Exception(action), TaskCreationOptions.LongRunning);
        Assert.True(run.Wait(TimeSpan.FromSeconds(limit)), $"still running after {limit} s");
        return run.Result;
    }
}
