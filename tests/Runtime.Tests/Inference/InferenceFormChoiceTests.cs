using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Tests.Inference;

public sealed class InferenceFormChoiceTests
{
    [Fact]
    public void AutoBuildsTheFormOfTheLayoutThatWonAndExplicitModesAreTakenAsAsked()
    {
        manual_seed(9);
        using var model = new BLResNetSmall();
        model.eval();

        var (form, precision, layout) = InferenceFormChoice.Build(model, Precision.BFloat16, MemoryFormat.Auto, [4, 1, 28, 28], CPU);
        using (form)
        {
            var inference = Assert.IsType<BLResNetSmall.Inference>(form);
            Assert.True(precision.IsBFloat16());
            Assert.Equal(new InferenceLayout(Precision.BFloat16, layout.Value),
                inference.Layout);
            Assert.Matches(@"^auto: a bf16 inference batch of 4 took \d+\.\d ms in NHWC, \d+\.\d ms in NCHW$", layout.Reason);
        }

        (form, precision, layout) = InferenceFormChoice.Build(model, Precision.Float32, MemoryFormat.Nhwc, [4, 1, 28, 28], CPU);
        using (form)
        {
            Assert.Equal(new InferenceLayout(Precision.Float32, MemoryFormat.Nhwc), Assert.IsType<BLResNetSmall.Inference>(form).Layout);
            Assert.Equal("memory format nhwc (NHWC was asked for)", layout.ToString());
            Assert.False(precision.IsBFloat16());
        }
    }
}
