using Dsl.Runtime.Training;
using Microsoft.ML.OnnxRuntime;

namespace Dsl.Trainer.Commands;

/// <summary>
/// An ONNX model in an ONNX Runtime session for <c>dsl bench --engine onnxruntime</c>: every graph optimization,
/// sequential execution, the intra-op threads asked for. It reads the model's input and output from the file, so a
/// file of any exporter is timed (its first input is fed, its first output fetched).
/// </summary>
internal sealed class OnnxRuntimeBench : IDisposable
{
    /// <summary>How the session runs: its intra-op threads (null: ONNX Runtime's default), and the files it writes, if any.</summary>
    /// <param name="OptimizedPath">Where ONNX Runtime writes the graph after its optimizations.</param>
    /// <param name="ProfilePath">Where ONNX Runtime's profile of the session (a Chrome trace of every node run) is moved after timing.</param>
    public sealed record Setup(int? Threads, string? OptimizedPath, string? ProfilePath);

    private readonly SessionOptions options;
    private readonly string? profilePath;
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;
    private readonly int[] inputDimensions;

    private OnnxRuntimeBench(SessionOptions options, InferenceSession session, string? profilePath)
    {
        this.options = options;
        this.profilePath = profilePath;
        this.session = session;
        if (session.InputMetadata.Count == 0 || session.OutputMetadata.Count == 0)
            throw new InvalidOperationException("the ONNX model has no input or no output to time");
        var input = session.InputMetadata.First();
        if (input.Value.ElementType != typeof(float) || input.Value.Dimensions.Length != 4)
            throw new InvalidOperationException($"the ONNX model's input '{input.Key}' is {input.Value.ElementType.Name} of rank {input.Value.Dimensions.Length}, not float32 images [N, C, H, W]");
        inputName = input.Key;
        inputDimensions = input.Value.Dimensions;
        outputName = session.OutputMetadata.First().Key;
    }

    /// <summary>The version of the ONNX Runtime library loaded.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>What the session was set up with, for the line bench prints: the threads, the execution, the optimizations and the files written.</summary>
    public static string Describe(Setup setup) =>
        $"engine onnxruntime {Version}: all graph optimizations, sequential execution, " +
        (setup.Threads is { } count ? $"{count} intra-op thread{(count == 1 ? "" : "s")}" : "ONNX Runtime's default intra-op threads") +
        (setup.OptimizedPath is null ? "" : $"; optimized graph written to {setup.OptimizedPath}") +
        (setup.ProfilePath is null ? "" : $"; profile of every run written to {setup.ProfilePath}");

    /// <summary>A session of the model in <paramref name="model"/> (an ONNX file's bytes) or, where that is null, of the file at <paramref name="path"/>.</summary>
    public static OnnxRuntimeBench Load(byte[]? model, string path, Setup setup)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // 0 is ONNX Runtime's default: one thread per physical core.
            IntraOpNumThreads = setup.Threads ?? 0,
        };
        if (setup.OptimizedPath is not null) options.OptimizedModelFilePath = setup.OptimizedPath;
        if (setup.ProfilePath is not null)
        {
            options.EnableProfiling = true;
            // ONNX Runtime names its trace prefix_timestamp.json; it is moved to the path asked for once timing ends.
            options.ProfileOutputPathPrefix = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(setup.ProfilePath))!, "." + Path.GetFileName(setup.ProfilePath));
        }
        try
        {
            return new OnnxRuntimeBench(options, model is null ? new InferenceSession(path, options) : new InferenceSession(model, options), setup.ProfilePath);
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new InvalidOperationException($"ONNX Runtime cannot load {path}: {e.Message}", e);
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The images' shape [batch, C, H, W]: the file's fixed dimensions, the batch and side asked for where the file leaves
    /// them open. A fixed dimension that differs from the one asked for, or an open one nobody gave, is a usage error.
    /// </summary>
    public long[] InputShape(int batch, int? side)
    {
        if (inputDimensions[1] < 1) throw new InvalidOperationException($"the ONNX model's input '{inputName}' leaves its channels open");
        long Dimension(int axis, int? asked, string flag)
        {
            var fixedSize = inputDimensions[axis];
            if (fixedSize < 1)
                return asked ?? throw new UsageException($"the ONNX model's input '{inputName}' leaves its axis {axis} open; give {flag}");
            if (asked is { } a && a != fixedSize)
                throw new UsageException($"{flag} {a}: the ONNX model's input '{inputName}' has the fixed size {fixedSize} there");
            return fixedSize;
        }
        return [Dimension(0, batch, "--batch"), inputDimensions[1], Dimension(2, side, "--input-size"), Dimension(3, side, "--input-size")];
    }

    /// <summary>The median milliseconds of one run on these images, as <see cref="StepTimer"/> times our engine.</summary>
    public double MedianMilliseconds(Tensor images, int warmUp, int repeats)
    {
        var values = images.to(float32).contiguous().data<float>().ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(values, images.shape);
        using var run = new RunOptions();
        string[] inputs = [inputName];
        string[] outputs = [outputName];
        OrtValue[] fed = [input];
        var ms = StepTimer.MedianMilliseconds(() =>
        {
            using var results = session.Run(run, inputs, fed, outputs);
        }, warmUp, repeats, CPU);
        if (profilePath is not null) File.Move(session.EndProfiling(), profilePath, overwrite: true);
        return ms;
    }

    public void Dispose()
    {
        session.Dispose();
        options.Dispose();
    }
}
