namespace Dsl.Runtime.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void CosineHoldsEachEpochsRateForTheWholeEpoch()
    {
        var cosine = new CosineSchedule(0.2, TotalEpochs: 6);
        Assert.Equal(0.2, cosine.At(0), 12);
        Assert.Equal(0.2 * (1 + Math.Cos(Math.PI * 2 / 6)) / 2, cosine.At(2), 12);
        Assert.Equal(cosine.At(2), cosine.At(2.99), 12);
        Assert.NotEqual(cosine.At(2), cosine.At(3), 6);
    }

    [Fact]
    public void StepDividesByTenEveryThirtyEpochs()
    {
        var step = new StepSchedule(0.1);
        Assert.Equal(0.1, step.At(29.9), 12);
        Assert.Equal(0.01, step.At(30), 12);
        Assert.Equal(0.001, step.At(65.5), 12);
    }

    [Fact]
    public void WarmupCosineRisesFromATenthThenFallsToZeroWithinEpochs()
    {
        var schedule = new WarmupCosineSchedule(0.2, TotalEpochs: 6, WarmupEpochs: 0.5);
        Assert.Equal(0.02, schedule.At(0), 12);
        Assert.Equal(0.2 * (0.1 + 0.9 * 0.5), schedule.At(0.25), 12);
        Assert.Equal(0.2, schedule.At(0.5), 12);
        Assert.Equal(0.1, schedule.At(0.5 + 5.5 / 2), 12);
        Assert.Equal(0, schedule.At(6), 12);
        // Set per step: the rate moves inside an epoch.
        Assert.True(schedule.At(3.2) > schedule.At(3.8));
        for (var e = 0.5; e < 6; e += 0.01) Assert.True(schedule.At(e + 0.01) <= schedule.At(e) + 1e-12, $"rises at {e}");
    }

    [Fact]
    public void WarmupCosineWithoutWarmupStartsAtTheBaseRate()
    {
        var schedule = new WarmupCosineSchedule(0.1, TotalEpochs: 4, WarmupEpochs: 0);
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(0.05, schedule.At(2), 12);
    }

    [Fact]
    public void RecipeBuildsTheScheduleItNames()
    {
        var recipe = TrainingRecipe.Default with { Schedule = ScheduleKind.WarmupCosine, Epochs = 6, LearningRate = 0.2, WarmupEpochs = 0.3 };
        Assert.Equal(new WarmupCosineSchedule(0.2, 6, 0.3), recipe.CreateSchedule());
        Assert.Equal("warmup-cosine", recipe.CreateSchedule().Name);
        Assert.IsType<CosineSchedule>(TrainingRecipe.Default.CreateSchedule());
    }
}
