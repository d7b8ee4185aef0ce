using Dsl.Runtime.Nn;
using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Modules;

public class LoadStateDictTests
{
    [Fact]
    public void StrictLoadCopiesEveryValue()
    {
        using var source = new TinyNet();
        using var target = new TinyNet();
        using (new NoGradScope()) source.Layer1[1].Bn2.RunningMean.Fill(3);
        var before = target.Fc.Weight;
        var report = target.LoadStateDict(source.StateDict());
        Assert.True(report.IsExact);
        Assert.Equal("all keys matched", report.ToString());
        Assert.Same(before, target.Fc.Weight);
        foreach (var ((key, expected), (_, actual)) in source.StateDict().Zip(target.StateDict()))
            Assert.True(expected.ToBytes().SequenceEqual(actual.ToBytes()), $"{key} was not copied");
        Assert.All(Expect.Values(target.Layer1[1].Bn2.RunningMean), v => Assert.Equal(3, v));
    }

    [Fact]
    public void StrictLoadReportsMissingUnexpectedAndMisShapedKeys()
    {
        using var scope = new TensorScope();
        using var source = new TinyNet();
        using var target = new TinyNet();
        var original = Expect.Values(target.Conv1.Weight);
        var entries = source.StateDict()
            .Where(e => e.Key != "layer1.0.bn1.running_var" && e.Key != "fc.bias")
            .Select(e => e.Key == "conv1.weight" ? new KeyValuePair<string, Tensor>(e.Key, Tensor.Zeros([4, 1, 5, 5])) : e)
            .Append(new("layer1.2.conv1.weight", Tensor.Zeros([1])))
            .ToList();

        var error = Assert.Throws<StateDictMismatchException>(() => target.LoadStateDict(entries));
        Assert.Equal(["layer1.0.bn1.running_var", "fc.bias"], error.Report.Missing);
        Assert.Equal(["layer1.2.conv1.weight"], error.Report.Unexpected);
        var misShaped = Assert.Single(error.Report.MisShaped);
        Assert.Equal("conv1.weight", misShaped.Key);
        Assert.Equal(new long[] { 4, 1, 3, 3 }, misShaped.Expected);
        Assert.Equal(new long[] { 4, 1, 5, 5 }, misShaped.Given);
        Assert.Contains("missing keys (2): layer1.0.bn1.running_var, fc.bias", error.Message);
        Assert.Contains("conv1.weight: model has [4, 1, 3, 3], given [4, 1, 5, 5]", error.Message);
        // A refused strict load changes nothing.
        Assert.Equal(original, Expect.Values(target.Conv1.Weight));
        Assert.NotEqual(Expect.Values(source.Fc.Weight), Expect.Values(target.Fc.Weight));
    }

    [Fact]
    public void NonStrictLoadCopiesWhatMatchesAndReportsTheRest()
    {
        using var scope = new TensorScope();
        using var source = new TinyNet();
        using var target = new TinyNet();
        var originalConv = Expect.Values(target.Conv1.Weight);
        var entries = source.StateDict()
            .Where(e => e.Key != "fc.bias")
            .Select(e => e.Key == "conv1.weight" ? new KeyValuePair<string, Tensor>(e.Key, Tensor.Zeros([2])) : e)
            .Append(new("extra", Tensor.Zeros([1])))
            .ToList();
        var report = target.LoadStateDict(entries, strict: false);
        Assert.False(report.IsExact);
        Assert.Equal(["fc.bias"], report.Missing);
        Assert.Equal(["extra"], report.Unexpected);
        Assert.Equal("conv1.weight", Assert.Single(report.MisShaped).Key);
        Assert.Equal(Expect.Values(source.Fc.Weight), Expect.Values(target.Fc.Weight));
        Assert.Equal(originalConv, Expect.Values(target.Conv1.Weight));
        Assert.NotEqual(Expect.Values(source.Fc.Bias!), Expect.Values(target.Fc.Bias!));
    }
}
