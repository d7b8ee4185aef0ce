using Dsl.Definitions;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Dsl.Models.Tests.MixedPrecision;

public sealed class InferenceFormChoiceTests
{
    [Fact]
    public void AutoBuildsTheFormOfTheLayoutThatWonAndExplicitModesAreTakenAsAsked()
    {
        manual_seed(9);
        using var model = new BLResNetSmall();
        model.eval();

        var (form, precision, layout) = InferenceFormChoice.Build(model, PrecisionMode.BFloat16, MemoryFormatMode.Auto, [4, 1, 28, 28], CPU);
        using (form)
        {
            var inference = Assert.IsType<BLResNetSmall.Inference>(form);
            Assert.True(precision.BFloat16);
            Assert.Equal(new InferenceLayout(InferencePrecision.BFloat16, layout.ChannelsLast ? MemoryFormat.ChannelsLast : MemoryFormat.Contiguous),
                inference.Layout);
            Assert.Matches(@"^auto: a bf16 inference batch of 4 took \d+\.\d ms in NHWC, \d+\.\d ms in NCHW$", layout.Reason);
        }

        (form, precision, layout) = InferenceFormChoice.Build(model, PrecisionMode.Float32, MemoryFormatMode.Nhwc, [4, 1, 28, 28], CPU);
        using (form)
        {
            Assert.Equal(new InferenceLayout(InferencePrecision.Float32, MemoryFormat.ChannelsLast), Assert.IsType<BLResNetSmall.Inference>(form).Layout);
            Assert.Equal("memory format nhwc (NHWC was asked for)", layout.ToString());
            Assert.False(precision.BFloat16);
        }
    }
}
