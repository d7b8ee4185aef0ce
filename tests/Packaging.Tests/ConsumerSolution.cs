namespace Dsl.Packaging.Tests;

/// <summary>
/// Two libraries with specs of their own and a program that uses both, written under /tmp (outside this
/// repository, so nothing of it leaks in) and built and run once against the packages of scripts/pack.sh.
/// LibA's models take its root namespace; LibB sets DslNamespace. LibA's spec names an allocation file beside it.
/// </summary>
public sealed class ConsumerSolution : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dsl-consumer-" + Guid.NewGuid().ToString("N"));

    public ConsumerSolution()
    {
        output = new Lazy<IReadOnlyList<string>>(Run);
        PackedPackages.Require("Dsl.Generator", "Dsl.Runtime");
        var (packages, version) = (PackedPackages.Folder, PackedPackages.Version);
        Directory.CreateDirectory(folder);
        Write("NuGet.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="dsl-local" value="{packages}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="dsl-local"><package pattern="Dsl.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        var packageReferences = $"""
              <ItemGroup>
                <PackageReference Include="Dsl.Generator" Version="{version}" />
                <PackageReference Include="Dsl.Runtime" Version="{version}" />
              </ItemGroup>
            """;
        Write("LibA/LibA.csproj", Project("", packageReferences));
        Write("LibA/nets/ScaleNet-Tiny.model.yaml", """
            name: ScaleNet-Tiny
            family: scalenet
            blocks: [1, 1, 1, 1]
            widths: [8, 16, 32, 64]
            stem: { kernel: 3, stride: 1, max_pool: false }
            classes: 10
            input: [3, 32, 32]
            allocation_file: tiny-allocation.json
            """);
        Write("LibA/nets/tiny-allocation.json", "[[4, 2, 1, 1, 32], [8, 4, 2, 2, 16], [16, 8, 4, 4, 8], [40, 16, 8, 0, 4]]");
        Write("LibB/LibB.csproj", Project("<DslNamespace>Acme.Models</DslNamespace>", packageReferences));
        Write("LibB/bLResNet-Tiny.model.yml", """
            name: bLResNet-Tiny
            family: big-little
            block: bottleneck
            blocks: [2, 2, 2, 2]
            alpha: 2
            beta: 4
            widths: [8, 16, 32, 64]
            stem: { kernel: 3, stride: 1, downsample: true }
            classes: 7
            input: [3, 32, 32]
            """);
        Write("App/App.csproj", Project("<OutputType>Exe</OutputType>", packageReferences + """
              <ItemGroup>
                <ProjectReference Include="../LibA/LibA.csproj" />
                <ProjectReference Include="../LibB/LibB.csproj" />
              </ItemGroup>
            """));
        Write("App/Program.cs", """
            using Dsl.Runtime.Models;
            using TorchSharp;

            var catalog = ModelCatalog.Of(typeof(LibA.ScaleNetTiny).Assembly, typeof(Acme.Models.BLResNetTiny).Assembly);
            Console.WriteLine("catalog: " + string.Join(", ", catalog.All.Select(m => m.Name)));
            Report(typeof(LibA.ScaleNetTiny), LibA.ScaleNetTiny.TrainableParameters, catalog.Get("ScaleNet-Tiny"));
            Report(typeof(Acme.Models.BLResNetTiny), Acme.Models.BLResNetTiny.TrainableParameters, catalog.Get("bLResNet-Tiny"));

            static void Report(Type type, long declared, ModelInfo info)
            {
                using var scope = torch.NewDisposeScope();
                using var model = info.Create();
                model.eval();
                var output = model.call(torch.randn(2, info.InputChannels, info.InputHeight, info.InputWidth));
                var counted = model.parameters().Sum(p => p.numel());
                Console.WriteLine($"{type.FullName}: output [{string.Join(", ", output.shape)}], declared {declared}, counted {counted}");
            }
            """);
    }

    private readonly Lazy<IReadOnlyList<string>> output;

    /// <summary>What the program printed, one entry per line; built and run on first use.</summary>
    public IReadOnlyList<string> Output => output.Value;

    private static string Project(string properties, string items) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            {properties}
          </PropertyGroup>
        {items}
        </Project>
        """;

    private void Write(string path, string text)
    {
        var full = Path.Combine(folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private IReadOnlyList<string> Run()
    {
        var (exitCode, output) = PackedPackages.Run("dotnet", ["run", "--project", "App", "-c", "Release"], folder);
        if (exitCode != 0) throw new InvalidOperationException($"'dotnet run' of the consumer in {folder} failed ({exitCode}):\n{output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
