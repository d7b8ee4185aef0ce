using System.CommandLine;
using System.Globalization;
using Dsl.Runtime.Models;
using Dsl.Trainer.Models;
using Spectre.Console;

namespace Dsl.Trainer.Commands;

/// <summary>
/// What every command of <c>dsl</c> is made with: each is a class with <c>static Command Create(CliContext context)</c>.
/// It holds the catalog, the console tables go to, the output and error writers, and what commands share: resolving a
/// model and choosing a device.
/// </summary>
public sealed record CliContext(IReadOnlyList<ModelInfo> Catalog, IAnsiConsole Console, TextWriter Output, TextWriter Error)
{
    public const string DefaultModel = "bLResNet-Small";

    /// <summary>The <c>--model</c> option of commands that run one model.</summary>
    public static Option<string> ModelOption() => new("--model", "-m")
    { Description = "canonical model name (see 'dsl list') or the path of its spec file", DefaultValueFactory = _ => DefaultModel };

    /// <summary>A catalog name or a spec file's path (<see cref="ModelResolver"/>).</summary>
    public ModelInfo ResolveModel(string nameOrPath) => ModelResolver.Resolve(nameOrPath, Catalog);

    /// <summary>
    /// The device of <c>--device</c>, or CUDA's first where <c>--gpu</c> lists GPUs: as the original, the listed GPUs
    /// become CUDA's visible devices, numbered from 0.
    /// </summary>
    public static Device SelectDevice(string device, string? gpus)
    {
        if (gpus is null) return ParseDevice(device);
        var ids = gpus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0 || ids.Any(id => !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new UsageException($"--gpu '{gpus}' is not a list of GPU numbers such as 0,1");
        Environment.SetEnvironmentVariable("CUDA_VISIBLE_DEVICES", string.Join(',', ids));
        return ParseDevice("cuda:0");
    }

    private static Device ParseDevice(string text)
    {
        Device device;
        try
        {
            device = torch.device(text);
        }
        catch (ArgumentException e) { throw new UsageException($"--device '{text}': {e.Message}"); }
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new UsageException($"--device '{text}': CUDA is not available in this build (build with -p:DslTorchBackend=cuda on a CUDA machine)");
        return device;
    }
}
