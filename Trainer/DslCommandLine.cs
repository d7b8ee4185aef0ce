using System.Runtime.InteropServices;
using Dsl.Runtime.Distributed;
using System.CommandLine;
using Dsl.Runtime.Platform;
using Dsl.Runtime;
using Dsl.Runtime.Checkpoints;
using Dsl.Runtime.Data;
using Dsl.Runtime.Training;
using Dsl.Trainer.Platform;
using Dsl.Trainer.Commands;
using Dsl.Trainer.Specs;
using Dsl.Runtime.Models;
using Spectre.Console;

namespace Dsl.Trainer;

/// <summary>The <c>dsl</c> command tree: train, eval, summary, list, bench, check-onednn (hidden) and check-reference.</summary>
public static class DslCommandLine
{
    public static RootCommand Create(IReadOnlyList<ModelInfo> catalog, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var context = new CliContext(catalog, console, output, error);
        return new RootCommand("Define, train and evaluate Big-Little Net and ScaleNet models")
        {
            TrainCommand.Create(context),
            EvalCommand.Create(context),
            SummaryCommand.Create(context),
            ListCommand.Create(context),
            BenchCommand.Create(context),
            CheckOneDnnCommand.Create(context),
            CheckReferenceCommand.Create(context),
            ExportCommand.Create(context),
        };
    }

    /// <summary>Parses and runs; known failures print one "error:" line instead of a stack trace.</summary>
    public static int Run(string[] args, IReadOnlyList<ModelInfo> catalog, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var root = Create(catalog, console, output, error);
        var parse = root.Parse(args);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Describe(e) is { } lines)
        {
            foreach (var line in lines) error.WriteLine(line);
            return e is UsageException ? 2 : 1;
        }
    }

    /// <summary>What a failure that is not a bug says to the user, instead of a stack trace: a spec's diagnostics, or one
    /// "error:" line; null for a bug.</summary>
    internal static IReadOnlyList<string>? Describe(Exception e) => e switch
    {
        SpecCompilationException spec => spec.Diagnostics,
        UsageException => ["error: " + e.Message],
        _ when IsKnownFailure(e) => ["error: " + e.Message],
        _ => null,
    };

    /// <summary>Failures of input, files or the system that one "error:" line explains; others are bugs and keep their stack trace.</summary>
    internal static bool IsKnownFailure(Exception e) =>
        e is DataException or CorruptImageException or IOException or InvalidOperationException or StateDictMismatchException
            or ExternalException or CheckpointException or DistributedException or TorchRuntimeException or InvalidDataException
            or UnauthorizedAccessException;
}
