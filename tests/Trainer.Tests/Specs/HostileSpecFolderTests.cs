using Dsl.Trainer.Specs;

namespace Dsl.Trainer.Tests.Specs;

/// <summary>A spec's folder may hold files that block or are huge; only the files the spec names are read, and only if regular.</summary>
public sealed class HostileSpecFolderTests
{
    private const string Resnet = "name: Plain-Net\nfamily: resnet\ndepth: 50\nclasses: 10\ninput: [1, 28, 28]\n";

    [Fact]
    public void AFifoBesideTheSpecIsNotRead()
    {
        using var temp = new TempFolder();
        HostileFile.MakeFifo(temp.Combine("stray.json"));
        var path = temp.Combine("plain.model.yaml");
        File.WriteAllText(path, Resnet);
        var model = HostileFile.WithinSeconds(60, () => SpecCompiler.Compile(path), temp.Combine("stray.json"));
        Assert.Equal("Plain-Net", model.Name);
    }

    [Fact]
    public void ANamedAllocationFileThatIsAFifoIsRefusedByName()
    {
        using var temp = new TempFolder();
        var rows = temp.Combine("rows.json");
        HostileFile.MakeFifo(rows);
        var path = temp.Combine("scale.model.yaml");
        File.WriteAllText(path, "name: Scale-Net\nfamily: scalenet\ndepth: 50\nallocation_file: rows.json\n");
        var error = HostileFile.WithinSeconds(10, () => Assert.Throws<SpecCompilationException>(() => SpecCompiler.Compile(path)), rows);
        Assert.Equal([$"{rows}: error: '{rows}' is a FIFO, not a regular file"], error.Diagnostics);
    }

    [Fact]
    public void ASpecFileOverTheSizeBoundIsRefusedUnread()
    {
        var (error, path) = Refused("huge.model.yaml", path => HostileFile.Sparse(path, SpecCompiler.MaxFileBytes + 1));
        Assert.Equal([$"{path}: error: '{path}' has {SpecCompiler.MaxFileBytes + 1:N0} bytes, more than the {SpecCompiler.MaxFileBytes:N0} allowed"],
            error.Diagnostics);
    }

    [Fact]
    public void AMissingAllocationFileIsTheGeneratorsLocatedError()
    {
        var (error, path) = Refused("scale.model.yaml",
            path => File.WriteAllText(path, "name: Scale-Net\nfamily: scalenet\ndepth: 50\nallocation_file: absent.json\n"));
        Assert.Equal([$"{path}(4,18): error DSL0013: Allocation file 'absent.json' is not among the AdditionalFiles (known data files: none)"],
            error.Diagnostics);
    }

    private static (SpecCompilationException Error, string Path) Refused(string name, Action<string> write) =>
        HostileFile.Refused<SpecCompilationException>(name, write, path => SpecCompiler.Compile(path));
}
