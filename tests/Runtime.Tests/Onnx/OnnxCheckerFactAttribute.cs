namespace Dsl.Runtime.Tests.Onnx;

/// <summary>A theory that needs the reference ONNX checker: skipped, saying why, where Python's onnx is missing.</summary>
public sealed class OnnxCheckerTheoryAttribute : TheoryAttribute
{
    public OnnxCheckerTheoryAttribute()
    {
        if (OnnxChecker.Missing is { } missing) Skip = missing;
    }
}
