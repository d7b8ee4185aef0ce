using Dsl.Runtime.Optim;

namespace Dsl.Runtime.Tests.Optim;

public class ScheduleTests
{
    [Fact]
    public void CosineFollowsHalfACosinePerEpoch()
    {
        var schedule = new CosineSchedule(0.1, 110);
        for (var epoch = 0; epoch <= 110; epoch++)
            Assert.Equal(0.05 * (1 + Math.Cos(Math.PI * epoch / 110)), schedule.At(epoch), 15);
        Assert.Equal(0.1, schedule.At(0), 15);
        Assert.Equal(0.05, schedule.At(55), 15);
        Assert.Equal(0, schedule.At(110), 15);
        Assert.Equal(0.001, new CosineSchedule(0.1, 10, 0.001).At(10), 15);
    }

    [Fact]
    public void StepDecayDividesEveryStepEpochs()
    {
        var schedule = new StepSchedule(0.1, 30, 0.1);
        Assert.Equal(0.1, schedule.At(0), 15);
        Assert.Equal(0.1, schedule.At(29), 15);
        Assert.Equal(0.01, schedule.At(30), 15);
        Assert.Equal(0.001, schedule.At(60), 15);
        Assert.Equal(0.001, schedule.At(89), 15);
        Assert.Equal(0.05, new StepSchedule(0.2, 2, 0.5).At(5), 15);
    }

    [Fact]
    public void WarmUpRisesLinearlyThenHandsOver()
    {
        var inner = new CosineSchedule(0.1, 100);
        var schedule = new WarmupSchedule(inner, 4);
        var target = inner.At(4);
        for (var epoch = 0; epoch < 4; epoch++)
            Assert.Equal(target * (epoch + 1) / 5, schedule.At(epoch), 15);
        for (var epoch = 1; epoch < 4; epoch++)
            Assert.True(schedule.At(epoch) > schedule.At(epoch - 1));
        for (var epoch = 4; epoch <= 100; epoch++)
            Assert.Equal(inner.At(epoch), schedule.At(epoch), 15);
    }
}
