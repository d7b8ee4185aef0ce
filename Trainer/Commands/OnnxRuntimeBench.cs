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
    private readonly SessionOptions options;
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;
    private readonly int[] inputDimensions;

    private OnnxRuntimeBench(SessionOptions options, InferenceSession session)
    {
        this.options = options;
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

    /// <summary>
    /// What the session was set up with, for the line bench prints: the threads, the execution and the optimizations,
    /// and where <paramref name="optimizedPath"/> was given, the file that holds the graph as ONNX Runtime optimized it.
    /// </summary>
    public static string Settings(int? threads, string? optimizedPath) =>
        $"engine onnxruntime {Version}: all graph optimizations, sequential execution, " +
        (threads is { } count ? $"{count} intra-op thread{(count == 1 ? "" : "s")}" : "ONNX Runtime's default intra-op threads") +
        (optimizedPath is null ? "" : $"; optimized graph written to {optimizedPath}");

    /// <summary>A session of the model in <paramref name="model"/> (an ONNX file's bytes) or, where that is null, of the file at <paramref name="path"/>.</summary>
    /// <param name="optimizedPath">Where ONNX Runtime writes the graph after its optimizations, or null.</param>
    public static OnnxRuntimeBench Load(byte[]? model, string path, int? threads, string? optimizedPath)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // 0 is ONNX Runtime's default: one thread per physical core.
            IntraOpNumThreads = threads ?? 0,
        };
        if (optimizedPath is not null) options.OptimizedModelFilePath = optimizedPath;
        try
        {
            return new OnnxRuntimeBench(options, model is null ? new InferenceSession(path, options) : new InferenceSession(model, options));
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
        return StepTimer.MedianMilliseconds(() =>
        {
            using var results = session.Run(run, inputs, fed, outputs);
        }, warmUp, repeats, CPU);
    }

    public void Dispose()
    {
        session.Dispose();
        options.Dispose();
    }
}
