using Dsl.Trainer.Platform;
using Dsl.Trainer.Tests.Cli;

namespace Dsl.Trainer.Tests.Platform;

public sealed class OneDnnAdmissionTests : IDisposable
{
    private static readonly IReadOnlyList<Runtime.Models.ModelInfo> Catalog = Definitions.BuiltInModels.Catalog.All;

    [Fact]
    public void TheHiddenCheckReportsEachLayoutAndExitsZeroWhereOneDnnAgrees()
    {
        var (code, output, error) = CommandRunner.Run(Catalog, "check-onednn", "--model", "bLResNet-Small", "--shape", "2,1,28,28", "--layouts", "nhwc");
        Assert.True(code == 0, output + error);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("NHWC: logits ", line);
        Assert.Contains("(oneDNN against libtorch)", line);
    }

    [Fact]
    public void TheHiddenCheckRefusesALayoutItDoesNotKnow()
    {
        var (code, _, error) = CommandRunner.Run(Catalog, "check-onednn", "--model", "bLResNet-Small", "--shape", "2,1,28,28", "--layouts", "nhcw");
        Assert.Equal(2, code);
        Assert.Contains("--layouts: 'nhcw' is not nchw or nhwc", error);
    }

    [Fact]
    public void AFloat32RunDecidesNothingAndLeavesOneDnnAsTheLoadTimeCheckLeftIt()
    {
        var info = Definitions.BuiltInModels.Catalog.Get("bLResNet-Small");
        var line = OneDnnAdmission.Decide("bLResNet-Small", info, 28, 64, Precision.Float32, MemoryFormat.Nhwc, CPU);
        Assert.Null(line);
        Assert.Equal(OneDnn.WrongAt is null, OneDnn.Enabled);
    }

    [Fact]
    public void ABFloat16RunOfTheSmallNetworkTakesOneDnnBackWhereTheLoadTimeCheckTurnedItOff()
    {
        var info = Definitions.BuiltInModels.Catalog.Get("bLResNet-Small");
        var line = OneDnnAdmission.Decide("bLResNet-Small", info, 28, 64, Precision.BFloat16, MemoryFormat.Nhwc, CPU);
        if (OneDnn.WrongAt is null)
        {
            // oneDNN was right at load: it stays on, with nothing to say.
            Assert.Null(line);
            Assert.True(OneDnn.Enabled);
            return;
        }
        Assert.NotNull(line);
        Assert.StartsWith("oneDNN is on for bLResNet-Small", line);
        Assert.Contains("NHWC: logits", line);
        Assert.True(OneDnn.Enabled);
        Assert.Null(OneDnn.Notice);
    }

    // Every test leaves oneDNN as the load-time check did.
    public void Dispose()
    {
        if (OneDnn.WrongAt is not null) OneDnn.Admit(false);
    }
}
