using Dsl.Runtime.Distributed;

namespace Dsl.Runtime.Tests.Distributed;

public sealed class DistributedEnvironmentTests
{
    [Fact]
    public void OutsideMpirunTheProcessTrainsAlone()
    {
        Assert.False(DistributedEnvironment.IsLaunched);
        using var environment = DistributedEnvironment.Start();
        Assert.Equal((0, 1, 0, true, false), (environment.Rank, environment.WorldSize, environment.LocalRank, environment.IsMaster, environment.IsDistributed));
        Assert.Null(environment.Group);
        Assert.Equal([1.5, 2.0], environment.SumAcrossRanks(1.5, 2.0));
        environment.Barrier();
        environment.Abort(3);
    }

    [Fact]
    public void LauncherArgumentsStartEveryRankWithTheSameCommandLine()
    {
        var arguments = LocalLauncher.Arguments(3, ["dotnet", "dsl.dll", "train", "--epochs", "2"]);
        Assert.Equal(["-np", "3"], arguments.Take(2));
        Assert.Equal(["dotnet", "dsl.dll", "train", "--epochs", "2"], arguments.TakeLast(5));
        Assert.Contains("--tag-output", arguments);
        Assert.Equal(Environment.UserName == "root", arguments.Contains("--allow-run-as-root"));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalLauncher.Arguments(0, ["x"]));
    }

    [Theory]
    [InlineData("[1,0]<stdout>:Epoch 1/6", "[rank 0] Epoch 1/6")]
    [InlineData("[1,1]<stderr>:error: x", "[rank 1] error: x")]
    // Each rank's first piece is control sequences with no line end; the line is the last tag's.
    [InlineData("[1,1]<stdout>:\u001b[?1h\u001b=[1,0]<stdout>:\u001b[?1h\u001b=[1,0]<stdout>:G16: 954.5K parameters", "[rank 0] G16: 954.5K parameters")]
    [InlineData("--------------------------------------", "--------------------------------------")]
    public void LauncherOutputIsOneRankPerLineWithoutTagsOrControlSequences(string line, string expected) =>
        Assert.Equal(expected, LocalLauncher.Untag(System.Text.RegularExpressions.Regex.Unescape(line)));
}
