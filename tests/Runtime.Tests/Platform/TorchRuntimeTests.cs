using System.Text;

namespace Dsl.Runtime.Tests.Platform;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void LibtorchLoadsAndComputes()
    {
        TorchRuntime.EnsureLoaded();
        Assert.Null(TorchRuntime.Explain(TorchRuntime.NativeLibraryPath));
        using var x = TorchSharp.torch.arange(6, TorchSharp.torch.float32).reshape(2, 3);
        using var product = x.matmul(x.t());
        Assert.Equal(new float[] { 5, 14, 14, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void AnUnpatchedLibraryIsExplainedWithItsCauseAndFix()
    {
        // The package's copy has no libtorch beside it: with libtorch not yet in the process, loading it fails first on
        // that missing dependency, whichever test ran before. Loaded, its sonames are found, and only GLIBCXX is left.
        TorchRuntime.EnsureLoaded();
        var systemHasVersion = Encoding.ASCII.GetString(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")).Contains("GLIBCXX_3.4.32\0");
        var packaged = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(packaged), packaged);
        var explanation = TorchRuntime.Explain(packaged);
        if (systemHasVersion)
        {
            Assert.Null(explanation);
            return;
        }
        Assert.NotNull(explanation);
        Assert.Contains("GLIBCXX_3.4.32", explanation);
        Assert.Contains("dotnet build", explanation);
        Assert.Contains(packaged, explanation);
    }

    [Fact]
    public void AMissingLibraryIsNamed()
    {
        var explanation = TorchRuntime.Explain("/nonexistent/libLibTorchSharp.so");
        Assert.Contains("/nonexistent/libLibTorchSharp.so is missing", explanation);
    }
}
